package org.ledgergossip.api.time;

import java.time.Instant;

/**
 * The source of time of a component. Every component takes its clock from its builder (usually as
 * {@link Scheduler#clock()}), never from {@link System}, so that a test or a simulation can run it
 * in virtual time.
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

  /**
   * Monotonic time in nanoseconds, for measuring intervals only: its origin is arbitrary and it
   * never goes backwards.
   */
  long nanoTime();

  /** Wall-clock time, for timestamps that leave the process (log lines, {@code /status}). */
  Instant instant();

  /** The system's clock: {@link System#nanoTime()} and {@link Instant#now()}. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
