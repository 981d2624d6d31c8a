package org.ledgergossip.api.time;

/** A handle on a scheduled task. Thread-safe. */
public interface Cancellable {

  /**
   * Stops the task from running again. A run already in progress is not interrupted. Idempotent.
   *
   * @return true if this call cancelled the task, false if it had already run (one-shot) or been
   *     cancelled
   */
  boolean cancel();

  /** True once {@link #cancel()} has been called. */
  boolean isCancelled();
}
