package org.ledgergossip.spi.orderer;

import org.ledgergossip.api.Block;

/**
 * A leader's subscription to the ordering service. Thread-safe.
 *
 * <p>Each block is delivered once, in order, starting at the requested height; the source verifies
 * the orderer's signature before delivery. It reconnects by itself with capped back-off and reports
 * each failed attempt to the listener so that a dynamic leader can yield.
 */
public interface BlockSource extends AutoCloseable {

  /**
   * Starts delivering blocks of {@code channel} numbered {@code fromHeight} and up.
   *
   * @return the subscription; closing it stops delivery
   */
  Subscription subscribe(String channel, long fromHeight, Listener listener);

  /** Closes every subscription. Idempotent. */
  @Override
  void close();

  /** An active subscription. */
  interface Subscription extends AutoCloseable {
    /** Stops delivery; no callback runs after this returns. Idempotent. */
    @Override
    void close();
  }

  /**
   * Receives a subscription's blocks. Callbacks run one at a time on the source's thread. {@link
   * #onBlock} may block: that is the backpressure of the payload buffer.
   */
  interface Listener {
    /** The next block, already verified. */
    void onBlock(Block block);

    /**
     * The ordering service could not be reached or sent something invalid; the source will retry.
     *
     * @param cause what went wrong
     * @param failingFor how long delivery has been failing without a block, in milliseconds
     */
    void onFailure(Throwable cause, long failingFor);
  }
}
