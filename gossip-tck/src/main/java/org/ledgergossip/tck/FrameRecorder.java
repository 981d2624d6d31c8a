package org.ledgergossip.tck;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;

/**
 * A {@link ConnectionHandler} that records what it sees, for contract tests. Thread-safe.
 *
 * <p>It also checks the handler contract itself: callbacks of one connection must never overlap,
 * and nothing may follow {@code onClose}; a breach is recorded in {@link #violations()}.
 */
public final class FrameRecorder implements ConnectionHandler {

  private final List<byte[]> frames = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicInteger closes = new AtomicInteger();
  private final AtomicInteger inCallback = new AtomicInteger();
  private final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();

  @Override
  public void onFrame(Connection connection, byte[] frame) {
    enter();
    try {
      if (closes.get() > 0) {
        violations.add("onFrame after onClose");
      }
      frames.add(frame);
    } finally {
      inCallback.decrementAndGet();
    }
  }

  @Override
  public void onClose(Connection connection, @Nullable Throwable cause) {
    enter();
    try {
      if (closes.incrementAndGet() > 1) {
        violations.add("onClose called " + closes.get() + " times");
      }
      closed.complete(cause);
    } finally {
      inCallback.decrementAndGet();
    }
  }

  private void enter() {
    if (inCallback.incrementAndGet() > 1) {
      violations.add("callbacks of one connection overlapped");
    }
  }

  /** The frames received so far, in arrival order. */
  public List<byte[]> frames() {
    return List.copyOf(frames);
  }

  /** Number of frames received so far. */
  public int frameCount() {
    return frames.size();
  }

  /** How many times {@code onClose} was called. */
  public int closeCount() {
    return closes.get();
  }

  /** True once {@code onClose} was called. */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** The cause given to {@code onClose}, or null if none (or not closed yet). */
  public @Nullable Throwable closeCause() {
    return closed.getNow(null);
  }

  /** Breaches of the handler contract seen so far. */
  public List<String> violations() {
    return List.copyOf(violations);
  }
}
