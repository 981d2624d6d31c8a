package org.ledgergossip.core.internal.comm;

/**
 * A registration with {@link Comm}: of a message handler ({@link Comm#subscribe}) or of a
 * connection event listener ({@link Comm#subscribeConnections}).
 *
 * <p>Thread-safe. After {@link #close()} returns, no new call of the handler starts; a call already
 * under way on another thread may finish.
 */
public interface Subscription extends AutoCloseable {

  /** Stops the deliveries to this subscription. Idempotent; never throws. */
  @Override
  void close();
}
