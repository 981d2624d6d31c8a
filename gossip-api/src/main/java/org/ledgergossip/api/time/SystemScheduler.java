package org.ledgergossip.api.time;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link Scheduler} on one platform thread and the system clock. */
final class SystemScheduler implements Scheduler {

  private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());

  private final ScheduledThreadPoolExecutor executor;

  SystemScheduler(String threadName) {
    requireNonNull(threadName, "threadName");
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
  }

  @Override
  public Clock clock() {
    return Clock.system();
  }

  @Override
  public void execute(Runnable task) {
    schedule(task, Duration.ZERO);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    requireNonNull(task, "task");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    if (executor.isShutdown()) {
      return Handle.cancelled();
    }
    try {
      return new Handle(
          executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS), false);
    } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
      return Handle.cancelled();
    }
  }

  @Override
  public Cancellable scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
    requireNonNull(task, "task");
    if (initialDelay.isNegative() || period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          "initialDelay must be >= 0 and period > 0, were " + initialDelay + " and " + period);
    }
    if (executor.isShutdown()) {
      return Handle.cancelled();
    }
    try {
      return new Handle(
          executor.scheduleAtFixedRate(
              guarded(task), initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS),
          true);
    } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
      return Handle.cancelled();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "scheduled task " + task + " failed", e);
      }
    };
  }

  private static final class Handle implements Cancellable {
    private final Future<?> future;
    private final boolean periodic;
    private volatile boolean cancelled;

    Handle(Future<?> future, boolean periodic) {
      this.future = future;
      this.periodic = periodic;
    }

    static Handle cancelled() {
      Handle h = new Handle(null, false);
      h.cancelled = true;
      return h;
    }

    @Override
    public boolean cancel() {
      if (cancelled) {
        return false;
      }
      cancelled = true;
      return future != null && (future.cancel(false) || periodic);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }
}
