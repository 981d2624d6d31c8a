package org.ledgergossip.transport.inmemory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Transport;

/**
 * A handler and acceptor for tests: records frames (as strings), closes and accepted connections,
 * and checks that no callback comes after {@code onClose}. Thread-safe.
 */
final class Recorder implements ConnectionHandler, Transport.Acceptor {

  private final List<String> frames = new ArrayList<>();
  private final List<@Nullable Throwable> closes = new ArrayList<>();
  private final List<Connection> accepted = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final List<Long> arrivalNanos = new ArrayList<>();
  private final @Nullable VirtualScheduler clock;
  final CountDownLatch closed = new CountDownLatch(1);

  Recorder() {
    this(null);
  }

  /** A recorder that also notes the virtual time of every frame. */
  Recorder(@Nullable VirtualScheduler clock) {
    this.clock = clock;
  }

  /** A handler that passes frames to {@code onFrame} and ignores the close. */
  static ConnectionHandler handler(BiConsumer<Connection, byte[]> onFrame) {
    return new ConnectionHandler() {
      @Override
      public void onFrame(Connection connection, byte[] frame) {
        onFrame.accept(connection, frame);
      }

      @Override
      public void onClose(Connection connection, @Nullable Throwable cause) {}
    };
  }

  static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }

  static byte[] frame(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized ConnectionHandler accept(Connection connection) {
    accepted.add(connection);
    return this;
  }

  @Override
  public synchronized void onFrame(Connection connection, byte[] frame) {
    if (!closes.isEmpty()) {
      violations.add("onFrame after onClose on " + connection);
    }
    frames.add(new String(frame, StandardCharsets.UTF_8));
    notifyAll();
    if (clock != null) {
      arrivalNanos.add(clock.clock().nanoTime());
    }
  }

  @Override
  public synchronized void onClose(Connection connection, @Nullable Throwable cause) {
    closes.add(cause);
    closed.countDown();
  }

  /** Waits until {@code count} frames arrived or {@code timeout} passed; true if they did. */
  synchronized boolean awaitFrames(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (frames.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  synchronized List<String> frames() {
    return List.copyOf(frames);
  }

  synchronized List<Long> arrivalNanos() {
    return List.copyOf(arrivalNanos);
  }

  /** The causes of every onClose seen, in order (null for an orderly close). */
  synchronized List<@Nullable Throwable> closes() {
    return new ArrayList<>(closes);
  }

  synchronized List<Connection> accepted() {
    return List.copyOf(accepted);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }
}
