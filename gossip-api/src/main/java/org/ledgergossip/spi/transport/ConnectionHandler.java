package org.ledgergossip.spi.transport;

import org.jspecify.annotations.Nullable;

/**
 * Receives what happens on one {@link Connection}.
 *
 * <p>Callbacks for one connection run one at a time, in order, on a transport thread; they must not
 * block. An exception thrown by a callback is logged by the transport and the connection stays
 * open.
 */
public interface ConnectionHandler {

  /**
   * A frame arrived, complete and in the order the remote sent it. The array is owned by the
   * handler from now on; the transport does not touch it again.
   */
  void onFrame(Connection connection, byte[] frame);

  /**
   * The connection is closed, by either side or by a failure. Called exactly once per connection,
   * after the last {@link #onFrame}.
   *
   * @param cause why it closed, or null for an orderly close by either side
   */
  void onClose(Connection connection, @Nullable Throwable cause);
}
