package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.time.Cancellable;

class VirtualSchedulerTest {

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final List<String> log = new ArrayList<>();

  private Runnable note(String what) {
    return () -> log.add(what + "@" + scheduler.clock().nanoTime() / 1_000_000 + "ms");
  }

  @Test
  void clockStartsAtTheGivenInstantAndMovesOnlyWhenDriven() {
    assertThat(scheduler.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(scheduler.clock().instant()).isEqualTo(VirtualScheduler.DEFAULT_START);
    assertThat(scheduler.clock().nanoTime()).isZero();

    scheduler.advanceBy(Duration.ofMillis(1500));
    assertThat(scheduler.clock().nanoTime()).isEqualTo(1_500_000_000L);
    assertThat(scheduler.now()).isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));

    VirtualScheduler other = new VirtualScheduler(Instant.parse("2030-06-01T12:00:00Z"));
    assertThat(other.clock().instant()).isEqualTo(Instant.parse("2030-06-01T12:00:00Z"));
    assertThat(other.clock().nanoTime()).isZero();
  }

  @Test
  void tasksRunInDueTimeOrderThenSubmissionOrder() {
    scheduler.schedule(note("c"), Duration.ofMillis(20));
    scheduler.schedule(note("a"), Duration.ofMillis(10));
    scheduler.execute(note("now1"));
    scheduler.schedule(note("b"), Duration.ofMillis(10));
    scheduler.execute(note("now2"));

    int ran = scheduler.advanceBy(Duration.ofMillis(30));

    assertThat(ran).isEqualTo(5);
    assertThat(log).containsExactly("now1@0ms", "now2@0ms", "a@10ms", "b@10ms", "c@20ms");
    assertThat(scheduler.clock().nanoTime()).isEqualTo(30_000_000L);
  }

  @Test
  void advanceByRunsOnlyTasksDueWithinTheInterval() {
    scheduler.schedule(note("in"), Duration.ofMillis(100));
    scheduler.schedule(note("out"), Duration.ofMillis(101));

    scheduler.advanceBy(Duration.ofMillis(100));

    assertThat(log).containsExactly("in@100ms");
    assertThat(scheduler.pendingTasks()).isEqualTo(1);
  }

  @Test
  void tasksSubmittedByTasksRunInTheSameAdvanceWhenDue() {
    scheduler.schedule(
        () -> {
          note("outer").run();
          scheduler.schedule(note("inner"), Duration.ofMillis(5));
        },
        Duration.ofMillis(10));

    scheduler.advanceBy(Duration.ofMillis(15));

    assertThat(log).containsExactly("outer@10ms", "inner@15ms");
  }

  @Test
  void periodicTasksRunAtAFixedRateFromTheirPlannedStart() {
    Cancellable handle =
        scheduler.scheduleAtFixedRate(note("tick"), Duration.ofMillis(50), Duration.ofMillis(100));

    scheduler.advanceBy(Duration.ofMillis(360));

    assertThat(log).containsExactly("tick@50ms", "tick@150ms", "tick@250ms", "tick@350ms");
    assertThat(scheduler.pendingTasks()).isEqualTo(1);
    assertThat(handle.cancel()).isTrue();
    assertThat(handle.isCancelled()).isTrue();
    assertThat(handle.cancel()).isFalse();
    scheduler.advanceBy(Duration.ofSeconds(1));
    assertThat(log).hasSize(4);
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void aPeriodicTaskCanCancelItselfWhileRunning() {
    AtomicInteger runs = new AtomicInteger();
    Cancellable[] self = new Cancellable[1];
    self[0] =
        scheduler.scheduleAtFixedRate(
            () -> {
              if (runs.incrementAndGet() == 3) {
                self[0].cancel();
              }
            },
            Duration.ZERO,
            Duration.ofSeconds(1));

    scheduler.advanceBy(Duration.ofSeconds(10));

    assertThat(runs).hasValue(3);
  }

  @Test
  void cancelStopsAOneShotTaskAndReportsWhetherItDid() {
    Cancellable cancelled = scheduler.schedule(note("cancelled"), Duration.ofMillis(10));
    Cancellable ran = scheduler.schedule(note("ran"), Duration.ofMillis(5));

    assertThat(cancelled.cancel()).isTrue();
    assertThat(cancelled.cancel()).isFalse();
    scheduler.advanceBy(Duration.ofMillis(20));

    assertThat(log).containsExactly("ran@5ms");
    assertThat(ran.cancel()).as("already ran").isFalse();
    assertThat(ran.isCancelled()).isFalse();
    assertThat(cancelled.isCancelled()).isTrue();
  }

  @Test
  void runUntilIdleRunsEverythingDueNowIncludingNewTasksButNothingLater() {
    scheduler.execute(
        () -> {
          note("first").run();
          scheduler.execute(note("second"));
          scheduler.schedule(note("later"), Duration.ofNanos(1));
        });

    assertThat(scheduler.runUntilIdle()).isEqualTo(2);

    assertThat(log).containsExactly("first@0ms", "second@0ms");
    assertThat(scheduler.clock().nanoTime()).isZero();
    assertThat(scheduler.pendingTasks()).isEqualTo(1);
  }

  @Test
  void runUntilIdleThrowsWhenATaskKeepsResubmittingItself() {
    VirtualScheduler guarded = new VirtualScheduler(VirtualScheduler.DEFAULT_START, 100);
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> guarded.execute(loop[0]);
    guarded.execute(loop[0]);

    assertThatThrownBy(guarded::runUntilIdle)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("more than 100 tasks")
        .hasMessageContaining("runUntilIdle()");
    assertThatThrownBy(() -> guarded.advanceBy(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("more than 100 tasks");
    guarded.close();
    assertThat(guarded.pendingTasks()).isZero();
  }

  @Test
  void runUntilStopsAsSoonAsTheConditionHolds() {
    AtomicInteger count = new AtomicInteger();
    scheduler.scheduleAtFixedRate(
        count::incrementAndGet, Duration.ofMillis(10), Duration.ofMillis(10));

    boolean reached = scheduler.runUntil(() -> count.get() == 3, Duration.ofSeconds(5));

    assertThat(reached).isTrue();
    assertThat(scheduler.clock().nanoTime()).isEqualTo(30_000_000L);
  }

  @Test
  void runUntilReturnsFalseAndEndsAtTheLimitWhenTheConditionNeverHolds() {
    scheduler.schedule(note("early"), Duration.ofMillis(100));
    scheduler.schedule(note("beyond"), Duration.ofSeconds(2));

    boolean reached = scheduler.runUntil(() -> false, Duration.ofSeconds(1));

    assertThat(reached).isFalse();
    assertThat(log).containsExactly("early@100ms");
    assertThat(scheduler.clock().nanoTime()).isEqualTo(1_000_000_000L);
  }

  @Test
  void failingTasksAreSwallowedAndPeriodicOnesKeepTheirSchedule() {
    AtomicInteger runs = new AtomicInteger();
    scheduler.scheduleAtFixedRate(
        () -> {
          runs.incrementAndGet();
          throw new IllegalStateException("boom (expected by the test)");
        },
        Duration.ZERO,
        Duration.ofSeconds(1));
    scheduler.schedule(note("after"), Duration.ofMillis(1500));

    scheduler.advanceBy(Duration.ofSeconds(3));

    assertThat(runs).hasValue(4);
    assertThat(scheduler.failedTasks()).isEqualTo(4);
    assertThat(log).containsExactly("after@1500ms");
  }

  @Test
  void closeDropsPendingTasksAndIgnoresLaterSubmissions() {
    Cancellable pending = scheduler.schedule(note("dropped"), Duration.ofMillis(1));
    scheduler.close();

    Cancellable late = scheduler.schedule(note("ignored"), Duration.ZERO);
    scheduler.advanceBy(Duration.ofSeconds(1));

    assertThat(log).isEmpty();
    assertThat(pending.isCancelled()).isTrue();
    assertThat(late.isCancelled()).isTrue();
    assertThat(late.cancel()).isFalse();
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void drivingFromOneOfItsOwnTasksIsRefused() {
    List<Throwable> failures = new ArrayList<>();
    scheduler.execute(
        () -> {
          try {
            scheduler.runUntilIdle();
          } catch (IllegalStateException e) {
            failures.add(e);
          }
        });

    scheduler.runUntilIdle();

    assertThat(failures)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("tasks is running"));
  }

  @Test
  void invalidArgumentsAreRejected() {
    assertThatThrownBy(() -> scheduler.schedule(() -> {}, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(() -> {}, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> scheduler.advanceBy(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VirtualScheduler(Instant.EPOCH, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hugeDelaysSaturateInsteadOfOverflowing() {
    scheduler.schedule(note("never"), Duration.ofSeconds(Long.MAX_VALUE));
    scheduler.advanceBy(Duration.ofDays(365));
    assertThat(log).isEmpty();
    assertThat(scheduler.pendingTasks()).isEqualTo(1);
  }

  @Test
  void tasksMaySafelyBeSubmittedFromOtherThreads() throws InterruptedException {
    AtomicInteger ran = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  scheduler.schedule(ran::incrementAndGet, Duration.ofMillis(i % 10));
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(10_000);
      assertThat(thread.isAlive()).isFalse();
    }

    scheduler.advanceBy(Duration.ofMillis(10));

    assertThat(ran).hasValue(4000);
  }
}
