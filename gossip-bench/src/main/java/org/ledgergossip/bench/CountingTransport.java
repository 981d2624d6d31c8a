package org.ledgergossip.bench;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
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

  CountingTransport(Transport delegate) {
    this(delegate, frame -> {});
  }

  /** Counts, and hands each received frame to {@code inspector} on the transport's thread. */
  CountingTransport(Transport delegate, Consumer<byte[]> inspector) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.inspector = requireNonNull(inspector, "inspector");
  }

  @Override
  public Listener listen(Endpoint endpoint, Acceptor acceptor) throws TransportException {
    return delegate.listen(
        endpoint,
        raw -> {
          CountingHandler handler = new CountingHandler();
          handler.inner = acceptor.accept(handler.wrap(raw));
          return handler;
        });
  }

  @Override
  public CompletableFuture<Connection> dial(Endpoint remote, ConnectionHandler handler) {
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
      }
      return wrapper;
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
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
      SendResult result = raw.send(frame);
      if (result == SendResult.QUEUED) {
        traffic.sentFrames.increment();
        traffic.sentBytes.add(frame.length);
      }
      return result;
    }
  }
}
