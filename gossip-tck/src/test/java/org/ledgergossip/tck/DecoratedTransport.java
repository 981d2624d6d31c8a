package org.ledgergossip.tck;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.ForwardingConnection;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/**
 * Wraps a correct transport so that a test can break one rule on purpose: every handler the
 * transport is given passes through {@code handlerDecorator}, every connection through {@link
 * Conn}.
 */
final class DecoratedTransport implements Transport {

  /** Breaks a handler; it receives the wrapped connection of each callback. */
  interface Breakage {
    ConnectionHandler decorate(ConnectionHandler handler, Conn connection);
  }

  private final Transport delegate;
  private final Breakage breakage;

  DecoratedTransport(Transport delegate, Breakage breakage) {
    this.delegate = delegate;
    this.breakage = breakage;
  }

  @Override
  public Listener listen(Endpoint endpoint, Acceptor acceptor) throws TransportException {
    return delegate.listen(
        endpoint,
        c -> {
          Conn wrapped = new Conn(c);
          return wrapped.handler(breakage, acceptor.accept(wrapped));
        });
  }

  @Override
  public CompletableFuture<Connection> dial(Endpoint remote, ConnectionHandler handler) {
    Holder holder = new Holder();
    return delegate
        .dial(
            remote,
            new ConnectionHandler() {
              @Override
              public void onFrame(Connection connection, byte[] frame) {
                holder.get(connection, breakage, handler).onFrame(holder.conn, frame);
              }

              @Override
              public void onClose(Connection connection, @Nullable Throwable cause) {
                holder.get(connection, breakage, handler).onClose(holder.conn, cause);
              }
            })
        .thenApply(c -> holder.conn(c));
  }

  @Override
  public TransportOptions options() {
    return delegate.options();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Lazily wraps the dialled connection, whichever comes first: a callback or the dial result. */
  private static final class Holder {
    private @Nullable Conn conn;
    private @Nullable ConnectionHandler handler;

    synchronized Conn conn(Connection c) {
      if (conn == null) {
        conn = new Conn(c);
      }
      return conn;
    }

    synchronized ConnectionHandler get(
        Connection c, Breakage breakage, ConnectionHandler original) {
      Conn wrapped = conn(c);
      if (handler == null) {
        handler = wrapped.handler(breakage, original);
      }
      return handler;
    }
  }

  /** A connection that remembers whether this side closed it. */
  static final class Conn extends ForwardingConnection {
    final Connection delegate;
    volatile boolean closedLocally;

    Conn(Connection delegate) {
      this.delegate = delegate;
    }

    ConnectionHandler handler(Breakage breakage, ConnectionHandler original) {
      ConnectionHandler broken = breakage.decorate(original, this);
      Conn self = this;
      return new ConnectionHandler() {
        @Override
        public void onFrame(Connection connection, byte[] frame) {
          broken.onFrame(self, frame);
        }

        @Override
        public void onClose(Connection connection, @Nullable Throwable cause) {
          broken.onClose(self, cause);
        }
      };
    }

    @Override
    protected Connection delegate() {
      return delegate;
    }

    @Override
    public void close() {
      closedLocally = true;
      delegate.close();
    }
  }

  /** Swaps every two consecutive frames of a connection: the second is delivered first. */
  static Breakage reorderingFrames() {
    return (handler, conn) ->
        new ConnectionHandler() {
          private byte @Nullable [] held;

          @Override
          public void onFrame(Connection connection, byte[] frame) {
            if (held == null) {
              held = frame;
              return;
            }
            byte[] first = held;
            held = null;
            handler.onFrame(connection, frame);
            handler.onFrame(connection, first);
          }

          @Override
          public void onClose(Connection connection, @Nullable Throwable cause) {
            handler.onClose(connection, cause);
          }
        };
  }

  /** Never tells a handler that the remote side closed the connection. */
  static Breakage silentRemoteClose() {
    return (handler, conn) ->
        new ConnectionHandler() {
          @Override
          public void onFrame(Connection connection, byte[] frame) {
            handler.onFrame(connection, frame);
          }

          @Override
          public void onClose(Connection connection, @Nullable Throwable cause) {
            if (conn.closedLocally) {
              handler.onClose(connection, cause);
            }
          }
        };
  }

  static UnaryOperator<Transport> with(Breakage breakage) {
    return t -> new DecoratedTransport(t, breakage);
  }
}
