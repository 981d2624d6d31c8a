package org.ledgergossip.api.time;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Runs a component's timers and tasks. Every timer of the protocol (alive interval, pull rounds,
 * election timeouts, ...) goes through a {@code Scheduler} given to the component by its builder,
 * so that the same code runs on real threads in production and in deterministic virtual time in
 * tests and simulations.
 *
 * <p><b>Contract.</b>
 *
 * <ul>
 *   <li><b>Serial.</b> Tasks of one scheduler never run concurrently with each other. They run in
 *       order of due time; tasks due at the same time run in the order they were submitted. A
 *       component whose state is touched only from its scheduler's tasks needs no locks.
 *   <li><b>Non-blocking submission.</b> Every method may be called from any thread and returns
 *       without waiting for the task.
 *   <li><b>Tasks must not block.</b> A task that waits for I/O or for another task stalls every
 *       other task of the scheduler.
 *   <li><b>Failures.</b> An exception thrown by a task is logged and swallowed; a periodic task
 *       keeps its schedule.
 *   <li><b>After close.</b> Submissions to a closed scheduler are ignored (the returned handle is
 *       already cancelled).
 * </ul>
 */
public interface Scheduler extends Executor, AutoCloseable {

  /** The clock this scheduler's delays are measured on. */
  Clock clock();

  /** Runs {@code task} as soon as possible, after the tasks already due. */
  @Override
  void execute(Runnable task);

  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @param delay non-negative
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  Cancellable schedule(Runnable task, Duration delay);

  /**
   * Runs {@code task} after {@code initialDelay} and then every {@code period}, measured from the
   * planned start of each run (runs that fall behind are not run twice to catch up).
   *
   * @throws IllegalArgumentException if {@code initialDelay} is negative or {@code period} is not
   *     positive
   */
  Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period);

  /**
   * Stops running tasks; tasks not yet run are dropped. Idempotent. Does not wait for a task in
   * progress unless the implementation says so.
   */
  @Override
  void close();

  /**
   * A scheduler on one daemon thread named {@code threadName} and the {@linkplain Clock#system()
   * system clock}. The caller owns it and must {@link #close()} it.
   */
  static Scheduler system(String threadName) {
    return new SystemScheduler(threadName);
  }
}
