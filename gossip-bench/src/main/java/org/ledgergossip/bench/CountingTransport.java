package org.ledgergossip.bench;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.ForwardingConnection;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/**
 * A {@link Transport} that counts the frames (and their bytes) its connections queue for sending
 * and deliver, in a {@link Traffic}. Bytes are gossip frame bytes, without TLS, TCP or length
 * framing. Each underlying connection is seen through one wrapper, so identity comparisons by the
 * caller hold. An optional inspector sees every received frame before the handler does (it must not
 * modify it). Thread-safe.
 *
 * <p>Two faults for the election scenarios: {@link #crash()} makes the transport a dead process's
 * (nothing it sends leaves, nothing received reaches its handlers, no new connection is made or
 * accepted), and {@link #cut} black-holes the frames of the connections a predicate names, both
 * ways, while the connections stay open (a partition for transports without one of their own).
 */
final class CountingTransport implements Transport {

  /** Frame and byte counters of one transport. Thread-safe. */
  static final class Traffic {
    final LongAdder sentFrames = new LongAdder();
    final LongAdder sentBytes = new LongAdder();
    final LongAdder receivedFrames = new LongAdder();
    final LongAdder receivedBytes = new LongAdder();
  }

  private final Transport delegate;
  private final Consumer<byte[]> inspector;
  final Traffic traffic = new Traffic();

  /** Frames black-holed by {@link #cut} or after {@link #crash}, both ways. */
  final LongAdder lostFrames = new LongAdder();

  private volatile boolean crashed;
  private volatile @Nullable Predicate<Connection> cut;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();

  CountingTransport(Transport delegate) {
    this(delegate, frame -> {});
  }

  /** Counts, and hands each received frame to {@code inspector} on the transport's thread. */
  CountingTransport(Transport delegate, Consumer<byte[]> inspector) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.inspector = requireNonNull(inspector, "inspector");
  }

  /**
   * From now on this transport behaves as its process had died: sends are refused ({@link
   * SendResult#CLOSED}) without reaching the wire, received frames are dropped, dials fail and
   * accepted connections are closed at once. Its connections stay as they are until {@link
   * #close()}. Irreversible.
   */
  void crash() {
    crashed = true;
  }

  /**
   * Black-holes every frame, sent or received, on the connections {@code blocked} accepts (given
   * the underlying connection), until called again; null lifts it. Connections and dials are left
   * alone: a dial across succeeds, then nothing passes, as through a partition that drops packets.
   */
  void cut(@Nullable Predicate<Connection> blocked) {
    this.cut = blocked;
  }

  /**
   * Closes (in an orderly way) every open connection {@code which} accepts, given the underlying
   * connection.
   *
   * @return how many were closed
   */
  int closeMatching(Predicate<Connection> which) {
    int closed = 0;
    for (Connection c : open) {
      if (c.isOpen() && which.test(c)) {
        c.close();
        closed++;
      }
    }
    return closed;
  }

  private boolean blackHoled(Connection raw) {
    if (crashed) {
      return true;
    }
    Predicate<Connection> c = cut;
    return c != null && c.test(raw);
  }

  @Override
  public Listener listen(Endpoint endpoint, Acceptor acceptor) throws TransportException {
    return delegate.listen(
        endpoint,
        raw -> {
          CountingHandler handler = new CountingHandler();
          if (crashed) {
            raw.close();
            return handler; // no inner handler: nothing reaches the dead node
          }
          handler.inner = acceptor.accept(handler.wrap(raw));
          return handler;
        });
  }

  @Override
  public CompletableFuture<Connection> dial(Endpoint remote, ConnectionHandler handler) {
    if (crashed) {
      return CompletableFuture.failedFuture(
          TransportException.dialFailed(remote, "the process crashed"));
    }
    CountingHandler counting = new CountingHandler();
    counting.inner = handler;
    return delegate.dial(remote, counting).thenApply(counting::wrap);
  }

  @Override
  public TransportOptions options() {
    return delegate.options();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The handler of one connection; it owns that connection's single wrapper. */
  private final class CountingHandler implements ConnectionHandler {
    volatile @Nullable ConnectionHandler inner;
    private @Nullable CountingConnection wrapper;

    synchronized CountingConnection wrap(Connection raw) {
      if (wrapper == null) {
        wrapper = new CountingConnection(raw);
        if (raw.isOpen()) {
          open.add(raw);
        }
      }
      return wrapper;
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
      if (blackHoled(connection)) {
        lostFrames.increment();
        return;
      }
      traffic.receivedFrames.increment();
      traffic.receivedBytes.add(frame.length);
      inspector.accept(frame);
      ConnectionHandler h = inner;
      if (h != null) {
        h.onFrame(wrap(connection), frame);
      }
    }

    @Override
    public void onClose(Connection connection, @Nullable Throwable cause) {
      CountingConnection w;
      synchronized (this) {
        w = wrapper;
      }
      if (w != null) {
        open.remove(w.raw);
      }
      open.remove(connection);
      ConnectionHandler h = inner;
      if (h != null) {
        h.onClose(wrap(connection), cause);
      }
    }
  }

  private final class CountingConnection extends ForwardingConnection {
    private final Connection raw;

    CountingConnection(Connection raw) {
      this.raw = raw;
    }

    @Override
    protected Connection delegate() {
      return raw;
    }

    @Override
    public SendResult send(byte[] frame) {
      if (crashed) {
        lostFrames.increment();
        return SendResult.CLOSED;
      }
      if (blackHoled(raw)) {
        lostFrames.increment();
        return SendResult.QUEUED; // lost on the way, as a partition loses it
      }
      SendResult result = raw.send(frame);
      if (result == SendResult.QUEUED) {
        traffic.sentFrames.increment();
        traffic.sentBytes.add(frame.length);
      }
      return result;
    }
  }
}
