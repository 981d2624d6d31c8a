package org.ledgergossip.spi.election;

/**
 * Decides whether this peer leads its organisation in one channel, and says so through {@link
 * ElectionContext#leadershipChanged}.
 *
 * <p>All methods are called on the context's scheduler; implementations keep their state there and
 * need no locks.
 */
public interface ElectionStrategy extends AutoCloseable {

  /** Starts taking part: timers start, proposals or declarations may follow. */
  void start();

  /** A verified leadership message from another same-organisation member of the channel. */
  void onMessage(LeadershipMessage message);

  /** True while this peer is the leader. */
  boolean isLeader();

  /**
   * Gives up leadership because this peer cannot do the job (its block source keeps failing);
   * another peer should take over. A strategy that cannot yield (static) ignores it.
   */
  void yieldLeadership();

  /** Stops taking part; a leader announces nothing more and reports the loss. Idempotent. */
  @Override
  void close();
}
