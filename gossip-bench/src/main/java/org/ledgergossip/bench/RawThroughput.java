package org.ledgergossip.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;

/**
 * The raw throughput of the transport between two running peers of a {@link NodeNetwork}, in real
 * time: the receiving peer's transport listens on one more endpoint, the sending peer's transport
 * dials it (same transport, same TLS credentials, same event loops or network thread as the run's
 * gossip), and frames of a given size are sent back to back for a while, waiting briefly whenever
 * the connection's send queue is full ({@link SendResult#QUEUE_FULL}). The figure is the bytes
 * received divided by the time from the first send to the last receipt: frames delivered to the
 * handler, not queued. No gossip processing, no verification. Not for virtual time (frames cost
 * nothing there). Not thread-safe; one measurement per instance.
 */
final class RawThroughput {

  /** A measurement: frames and bytes received, over {@code nanos}. */
  record Result(long frames, long bytes, long nanos) {
    double mbPerS() {
      return nanos <= 0 ? 0 : bytes / (nanos / 1e9) / 1e6;
    }

    double framesPerS() {
      return nanos <= 0 ? 0 : frames / (nanos / 1e9);
    }
  }

  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
  private static final long FULL_PAUSE_NANOS = 50_000;

  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong lastAt = new AtomicLong();

  /**
   * Sends frames of {@code frameSize} random bytes from {@code from} to {@code to} for {@code
   * burst}, then waits (at most 30 s) until all arrived.
   *
   * @throws IllegalStateException if the connection cannot be made or closes during the burst
   */
  static Result measure(NodeNetwork net, NodePeer from, NodePeer to, int frameSize, Duration burst)
      throws Exception {
    return new RawThroughput().run(net, from, to, frameSize, burst);
  }

  private Result run(NodeNetwork net, NodePeer from, NodePeer to, int frameSize, Duration burst)
      throws Exception {
    Endpoint where =
        net.inMemory() != null
            ? new Endpoint(to.endpoint.host(), to.endpoint.port() + 1000)
            : new Endpoint("127.0.0.1", 0);
    Listener listener =
        to.transport.listen(
            where,
            c ->
                new ConnectionHandler() {
                  @Override
                  public void onFrame(Connection connection, byte[] frame) {
                    frames.incrementAndGet();
                    bytes.addAndGet(frame.length);
                    lastAt.set(System.nanoTime());
                  }

                  @Override
                  public void onClose(Connection connection, @Nullable Throwable cause) {}
                });
    try {
      Connection c =
          from.transport
              .dial(
                  listener.endpoint(),
                  new ConnectionHandler() {
                    @Override
                    public void onFrame(Connection connection, byte[] frame) {}

                    @Override
                    public void onClose(Connection connection, @Nullable Throwable cause) {}
                  })
              .get(10, TimeUnit.SECONDS);
      try {
        // Zeros: a peer's frame inspector gives up on them at the first byte (not a protobuf tag).
        byte[] frame = new byte[frameSize];
        long sent = 0;
        long start = System.nanoTime();
        long stop = start + burst.toNanos();
        while (System.nanoTime() < stop) {
          SendResult r = c.send(frame);
          if (r == SendResult.QUEUED) {
            sent++;
          } else if (r == SendResult.QUEUE_FULL) {
            LockSupport.parkNanos(FULL_PAUSE_NANOS);
          } else {
            throw new IllegalStateException("the raw connection refused a frame: " + r);
          }
        }
        long drainEnd = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (frames.get() < sent && System.nanoTime() < drainEnd) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return new Result(frames.get(), bytes.get(), lastAt.get() - start);
      } finally {
        c.close();
      }
    } finally {
      listener.close();
    }
  }
}
