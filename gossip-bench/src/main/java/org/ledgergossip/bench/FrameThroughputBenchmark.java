package org.ledgergossip.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.SendResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Frames per second over one mutual-TLS Netty connection on loopback, sender to receiver, for 1 KiB
 * and 1 MiB frames; multiply by the frame size for bytes per second. Each invocation sends a batch
 * and waits until the receiver has every frame, so the figure is delivered frames, not queued.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameThroughputBenchmark {

  private static final int BATCH = 64;

  /** The TLS engine: {@code jdk} or {@code openssl}. */
  @Param({"jdk", "openssl"})
  public String engine;

  /** Frame size in bytes. */
  @Param({"1024", "1048576"})
  public int frameSize;

  private TlsPair pair;
  private Connection sender;
  private byte[] frame;
  private final AtomicLong received = new AtomicLong();
  private long expected;

  /** Connects the two transports. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pair = new TlsPair(engine, frameSize + 1024);
    Endpoint server =
        pair.listen(
            c ->
                new ConnectionHandler() {
                  @Override
                  public void onFrame(Connection connection, byte[] f) {
                    received.incrementAndGet();
                  }

                  @Override
                  public void onClose(Connection connection, @Nullable Throwable cause) {}
                });
    CompletableFuture<Connection> dial =
        pair.client.dial(
            server,
            new ConnectionHandler() {
              @Override
              public void onFrame(Connection connection, byte[] f) {}

              @Override
              public void onClose(Connection connection, @Nullable Throwable cause) {}
            });
    sender = dial.get(10, TimeUnit.SECONDS);
    frame = new byte[frameSize];
  }

  /** Closes the connection and transports. */
  @TearDown(Level.Trial)
  public void tearDown() {
    sender.close();
    pair.close();
  }

  /** Sends a batch of frames and waits until all arrived. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long sendBatch() {
    for (int i = 0; i < BATCH; i++) {
      while (sender.send(frame) == SendResult.QUEUE_FULL) {
        Thread.onSpinWait();
      }
    }
    expected += BATCH;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (received.get() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("frames did not arrive within 60 s");
      }
      Thread.onSpinWait();
    }
    return received.get();
  }
}
