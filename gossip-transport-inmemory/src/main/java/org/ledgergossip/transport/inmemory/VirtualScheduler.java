package org.ledgergossip.transport.inmemory;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;

/**
 * A {@link Scheduler} in deterministic virtual time, for tests and simulations.
 *
 * <p>Time never moves by itself: its {@link #clock()} starts at {@link #DEFAULT_START} (or the
 * instant given to the constructor) with {@link Clock#nanoTime()} 0 and moves only when the test
 * calls {@link #advanceBy}, {@link #runUntil} or {@link #runUntilIdle}. Tasks run on the calling
 * thread, in order of due time and, for equal due times, in order of submission, so a run that
 * submits the same tasks always runs them in the same order. Periodic tasks are rescheduled at a
 * fixed rate from their planned start. An exception thrown by a task is logged ({@link
 * System.Logger}, level WARNING), counted in {@link #failedTasks()} and swallowed; a periodic task
 * keeps its schedule.
 *
 * <p><b>Threading.</b> {@link #execute}, {@link #schedule}, {@link #scheduleAtFixedRate}, {@link
 * #clock()}, {@link #pendingTasks()}, {@link #now()} and {@link Cancellable#cancel()} may be called
 * from any thread. The driving methods ({@link #advanceBy}, {@link #runUntil}, {@link
 * #runUntilIdle}) must be called from one thread at a time and never from one of this scheduler's
 * own tasks (that throws {@link IllegalStateException}).
 *
 * <p><b>Runaway guard.</b> One call of a driving method runs at most {@link #maxTasksPerCall()}
 * tasks (default {@value #DEFAULT_MAX_TASKS_PER_CALL}); past that it throws {@link
 * IllegalStateException}, which usually means a task resubmits itself with zero delay.
 *
 * <p><b>After close.</b> Pending tasks are dropped and later submissions are ignored (their handle
 * is already cancelled); the clock keeps its value and may still be advanced. Arguments are never
 * null.
 */
public final class VirtualScheduler implements Scheduler {

  /** Where the clock of {@link #VirtualScheduler()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  /** The default for {@link #maxTasksPerCall()}. */
  public static final int DEFAULT_MAX_TASKS_PER_CALL = 1_000_000;

  private static final System.Logger LOG = System.getLogger(VirtualScheduler.class.getName());

  private final Object lock = new Object();
  private final Instant start;
  private final int maxTasksPerCall;
  private final Clock clock = new VirtualClock();
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.seq));

  // Written only by the driving thread under the lock; read from any thread.
  private volatile long nowNanos;

  // Guarded by lock.
  private long nextSeq;
  private boolean closed;
  private @Nullable Thread driver;
  private long failedTasks;

  /** A scheduler whose clock starts at {@link #DEFAULT_START}. */
  public VirtualScheduler() {
    this(DEFAULT_START);
  }

  /** A scheduler whose clock starts at {@code start}. */
  public VirtualScheduler(Instant start) {
    this(start, DEFAULT_MAX_TASKS_PER_CALL);
  }

  /**
   * A scheduler whose clock starts at {@code start} and whose driving methods run at most {@code
   * maxTasksPerCall} tasks per call.
   *
   * @throws IllegalArgumentException if {@code maxTasksPerCall} is not positive
   */
  public VirtualScheduler(Instant start, int maxTasksPerCall) {
    this.start = requireNonNull(start, "start");
    if (maxTasksPerCall <= 0) {
      throw new IllegalArgumentException(
          "maxTasksPerCall must be positive, was " + maxTasksPerCall);
    }
    this.maxTasksPerCall = maxTasksPerCall;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  /** The current virtual instant: the start instant plus the virtual nanoseconds elapsed. */
  public Instant now() {
    return start.plusNanos(nowNanos);
  }

  /** The most tasks one call of a driving method may run before it throws. */
  public int maxTasksPerCall() {
    return maxTasksPerCall;
  }

  /** Tasks submitted and neither run (for one-shot tasks) nor cancelled. */
  public int pendingTasks() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** How many task runs have thrown since this scheduler was made. */
  public long failedTasks() {
    synchronized (lock) {
      return failedTasks;
    }
  }

  @Override
  public void execute(Runnable task) {
    schedule(task, Duration.ZERO);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    requireNonNull(task, "task");
    requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return submit(task, saturatedNanos(delay), 0);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
    requireNonNull(task, "task");
    requireNonNull(initialDelay, "initialDelay");
    requireNonNull(period, "period");
    if (initialDelay.isNegative() || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "initialDelay must be >= 0 and period > 0, were " + initialDelay + " and " + period);
    }
    return submit(task, saturatedNanos(initialDelay), saturatedNanos(period));
  }

  /**
   * Moves the clock forward by {@code duration}, running every task due up to the new time in (due
   * time, submission) order, with the clock set to each task's due time while it runs; the clock
   * ends at exactly the old time plus {@code duration}.
   *
   * @return how many tasks ran
   * @throws IllegalArgumentException if {@code duration} is negative
   * @throws IllegalStateException if called from a task, concurrently, or more than {@link
   *     #maxTasksPerCall()} tasks ran
   */
  public int advanceBy(Duration duration) {
    requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    beginDriving("advanceBy");
    try {
      long target = saturatedAdd(nowNanos, saturatedNanos(duration));
      int ran = 0;
      while (runNextDueBy(target)) {
        ran = guard(ran + 1, "advanceBy(" + duration + ")");
      }
      setNow(target);
      return ran;
    } finally {
      endDriving();
    }
  }

  /**
   * Runs every task due now, including tasks those tasks submit for now, without moving the clock.
   *
   * @return how many tasks ran
   * @throws IllegalStateException if called from a task, concurrently, or more than {@link
   *     #maxTasksPerCall()} tasks ran (a task that keeps resubmitting itself with zero delay)
   */
  public int runUntilIdle() {
    beginDriving("runUntilIdle");
    try {
      int ran = 0;
      while (runNextDueBy(nowNanos)) {
        ran = guard(ran + 1, "runUntilIdle()");
      }
      return ran;
    } finally {
      endDriving();
    }
  }

  /**
   * Runs tasks one at a time in (due time, submission) order, moving the clock to each task's due
   * time, until {@code condition} is true (checked before the first task and after every task) or
   * no task is due within {@code limit} of the current time; in the latter case the clock ends at
   * the current time plus {@code limit}.
   *
   * @return true if {@code condition} became true, false if the limit passed first
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws IllegalStateException if called from a task, concurrently, or more than {@link
   *     #maxTasksPerCall()} tasks ran
   */
  public boolean runUntil(BooleanSupplier condition, Duration limit) {
    requireNonNull(condition, "condition");
    requireNonNull(limit, "limit");
    if (limit.isNegative()) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    beginDriving("runUntil");
    try {
      long target = saturatedAdd(nowNanos, saturatedNanos(limit));
      int ran = 0;
      while (true) {
        if (condition.getAsBoolean()) {
          return true;
        }
        if (!runNextDueBy(target)) {
          setNow(target);
          return condition.getAsBoolean();
        }
        ran = guard(ran + 1, "runUntil(..., " + limit + ")");
      }
    } finally {
      endDriving();
    }
  }

  /** Drops every pending task; later submissions are ignored. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      for (Task t : queue) {
        t.cancelled = true;
      }
      queue.clear();
    }
  }

  @Override
  public String toString() {
    return "VirtualScheduler[now=" + now() + ", pending=" + pendingTasks() + "]";
  }

  private Cancellable submit(Runnable runnable, long delayNanos, long periodNanos) {
    synchronized (lock) {
      Task t = new Task(runnable, periodNanos);
      if (closed) {
        t.cancelled = true;
        return t;
      }
      t.due = saturatedAdd(nowNanos, delayNanos);
      t.seq = nextSeq++;
      queue.add(t);
      return t;
    }
  }

  /** Runs the first task if it is due at or before {@code limit}; false if there is none. */
  private boolean runNextDueBy(long limit) {
    Task task;
    synchronized (lock) {
      task = queue.peek();
      if (task == null || task.due > limit) {
        return false;
      }
      queue.poll();
      if (task.due > nowNanos) {
        nowNanos = task.due;
      }
      if (task.periodNanos == 0) {
        task.done = true;
      }
    }
    try {
      task.runnable.run();
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        failedTasks++;
      }
      LOG.log(Level.WARNING, "virtual-time task " + task.runnable + " failed", e);
    }
    if (task.periodNanos > 0) {
      synchronized (lock) {
        if (!task.cancelled && !closed) {
          task.due = saturatedAdd(task.due, task.periodNanos);
          task.seq = nextSeq++;
          queue.add(task);
        }
      }
    }
    return true;
  }

  private int guard(int ran, String call) {
    if (ran > maxTasksPerCall) {
      throw new IllegalStateException(
          "VirtualScheduler ran more than "
              + maxTasksPerCall
              + " tasks in one call of "
              + call
              + " at virtual time "
              + now()
              + ": a task probably resubmits itself with zero delay");
    }
    return ran;
  }

  private void beginDriving(String method) {
    synchronized (lock) {
      if (driver != null) {
        throw new IllegalStateException(
            method
                + "() called while "
                + (driver == Thread.currentThread()
                    ? "one of this scheduler's tasks is running on this thread"
                    : "thread " + driver.getName() + " is driving the scheduler")
                + "; drive a VirtualScheduler from one thread, outside its tasks");
      }
      driver = Thread.currentThread();
    }
  }

  private void endDriving() {
    synchronized (lock) {
      driver = null;
    }
  }

  private void setNow(long nanos) {
    synchronized (lock) {
      if (nanos > nowNanos) {
        nowNanos = nanos;
      }
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException overflow) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  private final class VirtualClock implements Clock {
    @Override
    public long nanoTime() {
      return nowNanos;
    }

    @Override
    public Instant instant() {
      return now();
    }

    @Override
    public String toString() {
      return "VirtualClock[" + now() + "]";
    }
  }

  private final class Task implements Cancellable {
    final Runnable runnable;
    final long periodNanos;
    // Guarded by VirtualScheduler.this.lock.
    long due;
    long seq;
    boolean cancelled;
    boolean done;

    Task(Runnable runnable, long periodNanos) {
      this.runnable = runnable;
      this.periodNanos = periodNanos;
    }

    @Override
    public boolean cancel() {
      synchronized (lock) {
        if (cancelled || done) {
          return false;
        }
        cancelled = true;
        queue.remove(this);
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (lock) {
        return cancelled;
      }
    }

    @Override
    public String toString() {
      return "Task[" + runnable + "]";
    }
  }
}
