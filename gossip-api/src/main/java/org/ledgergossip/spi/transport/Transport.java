package org.ledgergossip.spi.transport;

import java.util.concurrent.CompletableFuture;
import org.ledgergossip.api.Endpoint;

/**
 * Moves frames between this process and remote endpoints.
 *
 * <p><b>Threading.</b> All methods are thread-safe. {@link #dial} never blocks; {@link #listen} may
 * block briefly while the endpoint is bound, and {@link #close} while the transport's threads stop
 * (bounded; never when called from a transport thread). Callbacks of a {@link ConnectionHandler}
 * for one connection are never run concurrently with each other; callbacks of different connections
 * may be.
 *
 * <p><b>Lifecycle.</b> {@link #close()} stops listening and closes every connection the transport
 * made or accepted (their handlers see {@link ConnectionHandler#onClose}); it is idempotent.
 */
public interface Transport extends AutoCloseable {

  /**
   * Starts accepting connections on {@code endpoint}. Port 0 binds a free port; the returned
   * listener tells which. Every accepted connection is given to {@code acceptor}, which returns the
   * handler for its frames.
   *
   * @throws TransportException if the endpoint cannot be bound (in use, not local), with the
   *     endpoint in the message
   */
  Listener listen(Endpoint endpoint, Acceptor acceptor) throws TransportException;

  /**
   * Opens a connection to {@code remote}. The future completes with an open connection once the
   * remote has accepted it (for a TLS transport: after the remote checked this side's certificate),
   * or exceptionally with a {@link TransportException} if nobody accepts within {@link
   * TransportOptions#dialTimeout()} or the TLS handshake fails. Never completes with null.
   * Cancelling the future abandons the dial: a connection made anyway is closed.
   *
   * @param handler receives the frames and the close of the new connection
   */
  CompletableFuture<Connection> dial(Endpoint remote, ConnectionHandler handler);

  /** The options this transport was created with. */
  TransportOptions options();

  /** Closes every listener and connection of this transport. Idempotent. */
  @Override
  void close();

  /** Decides what handles an accepted connection. */
  @FunctionalInterface
  interface Acceptor {
    /**
     * Called once per accepted connection, before any of its frames is delivered. Runs on a
     * transport thread and must not block.
     *
     * @return the handler for the connection's frames, not null
     */
    ConnectionHandler accept(Connection connection);
  }
}
