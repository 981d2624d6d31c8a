package org.ledgergossip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.election.ElectionSettings;
import org.ledgergossip.tck.ElectionGroup;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Seeded random schedules of kills, restarts, partitions, heals and yields, with an invariant
 * checked every 100 ms of virtual time; a failure names the seed (replay it with {@code
 * -Delection.seed=<seed>}) and the schedule; {@code -Delection.schedules=<n>} runs n schedules
 * instead of 200 (3,000 passed when the election last changed).
 *
 * <p>Invariants, with T = alive threshold, D = election duration, measured from the later of the
 * last fault and the state's beginning: each side never has two leaders for longer than {@code
 * max(D, T/2) + }{@link #SLACK}; each side has a leader within {@code T + D + }{@link #SLACK},
 * unless every alive peer of it yielded recently (a yielder does not stand for 6 T); {@code
 * isLeader()} always agrees with the last report.
 */
class RandomElectionSchedulesTest {

  static final int SCHEDULES = Integer.getInteger("election.schedules", 200);
  static final int EVENTS = 20;
  static final Duration T = Duration.ofSeconds(10);
  static final Duration D = Duration.ofSeconds(5);
  static final Duration SLACK = Duration.ofMillis(200);
  static final Duration STEP = Duration.ofMillis(100);
  static final ElectionSettings SETTINGS =
      new ElectionSettings(true, false, Duration.ofSeconds(3), Duration.ofSeconds(1), T, D);

  @Test
  void randomFaultSchedulesKeepOneLeaderPerSide() {
    String only = System.getProperty("election.seed");
    if (only != null) {
      runSchedule(Long.parseLong(only));
      return;
    }
    for (long seed = 1; seed <= SCHEDULES; seed++) {
      runSchedule(seed);
    }
  }

  private static void runSchedule(long seed) {
    Random rnd = new Random(seed);
    VirtualScheduler scheduler = new VirtualScheduler();
    int size = 4 + rnd.nextInt(5);
    ElectionGroup g =
        new ElectionGroup(
            new DynamicElectionProvider(),
            SETTINGS,
            size,
            scheduler,
            Duration.ofMillis(1 + rnd.nextInt(50)));
    Checker checker = new Checker(seed, g);
    try {
      g.startAll();
      checker.event("start " + size + " peers");
      for (int e = 0; e < EVENTS; e++) {
        long quietMs = 500L + rnd.nextInt((int) T.plus(D).multipliedBy(2).toMillis());
        checker.runFor(Duration.ofMillis(quietMs));
        checker.event(randomFault(rnd, g, checker));
      }
      g.heal();
      for (int i = 0; i < size; i++) {
        if (!g.isAlive(i)) {
          g.restart(i);
        }
      }
      checker.event("heal and restart all");
      checker.runFor(T.multipliedBy(8));
      assertThat(g.leaders()).as(checker.report("one leader at the end")).hasSize(1);
    } finally {
      for (int i = 0; i < size; i++) {
        if (g.isAlive(i)) {
          g.kill(i);
        }
      }
      scheduler.close();
    }
  }

  private static String randomFault(Random rnd, ElectionGroup g, Checker checker) {
    List<Integer> alive = new ArrayList<>();
    List<Integer> dead = new ArrayList<>();
    for (int i = 0; i < g.size(); i++) {
      (g.isAlive(i) ? alive : dead).add(i);
    }
    int kind = rnd.nextInt(5);
    if (kind == 0 && alive.size() > 2) {
      int victim =
          rnd.nextBoolean() && !g.leaders().isEmpty() ? g.leaders().get(0) : pick(rnd, alive);
      g.kill(victim);
      return "kill " + victim;
    }
    if (kind == 1 && !dead.isEmpty()) {
      int back = pick(rnd, dead);
      g.restart(back);
      checker.yieldedAt.remove(back);
      return "restart " + back;
    }
    if (kind == 2) {
      int sides = 2 + rnd.nextInt(2);
      List<List<Integer>> parts = new ArrayList<>();
      for (int s = 0; s < sides; s++) {
        parts.add(new ArrayList<>());
      }
      for (int i = 0; i < g.size(); i++) {
        parts.get(rnd.nextInt(sides)).add(i);
      }
      int[][] arrays = new int[sides - 1][];
      for (int s = 0; s < sides - 1; s++) {
        arrays[s] = parts.get(s).stream().mapToInt(Integer::intValue).toArray();
      }
      g.partition(arrays);
      return "partition " + parts;
    }
    if (kind == 3 && !g.leaders().isEmpty()) {
      int leader = pick(rnd, g.leaders());
      g.scheduler().execute(() -> g.strategy(leader).yieldLeadership());
      checker.yieldedAt.put(leader, g.scheduler().clock().nanoTime());
      return "yield " + leader;
    }
    g.heal();
    return "heal";
  }

  private static int pick(Random rnd, List<Integer> from) {
    return from.get(rnd.nextInt(from.size()));
  }

  /** Checks the invariants every step; remembers the schedule for the failure message. */
  private static final class Checker {
    final long seed;
    final ElectionGroup g;
    final List<String> log = new ArrayList<>();
    final Map<Integer, Long> yieldedAt = new HashMap<>();
    final Map<Integer, Long> noLeaderSince = new HashMap<>();
    final Map<Integer, Long> manyLeadersSince = new HashMap<>();

    Checker(long seed, ElectionGroup g) {
      this.seed = seed;
      this.g = g;
    }

    long now() {
      return g.scheduler().clock().nanoTime();
    }

    void event(String what) {
      log.add(g.scheduler().now() + " " + what);
      noLeaderSince.clear();
      manyLeadersSince.clear();
    }

    String report(String broken) {
      return "seed "
          + seed
          + " (replay with -Delection.seed="
          + seed
          + "): "
          + broken
          + " at "
          + g
          + "\nschedule:\n  "
          + String.join("\n  ", log);
    }

    void runFor(Duration d) {
      long steps = d.toNanos() / STEP.toNanos();
      for (long s = 0; s < steps; s++) {
        g.scheduler().advanceBy(STEP);
        check();
      }
    }

    void check() {
      assertThat(g.inconsistentPeers()).as(report("isLeader() disagrees with reports")).isEmpty();
      long now = now();
      long multiBound = Math.max(D.toNanos(), T.dividedBy(2).toNanos()) + SLACK.toNanos();
      long noneBound = T.plus(D).plus(SLACK).toNanos();
      for (Map.Entry<Integer, List<Integer>> side : g.leadersBySide().entrySet()) {
        int s = side.getKey();
        int leaders = side.getValue().size();
        if (leaders == 1) {
          noLeaderSince.remove(s);
          manyLeadersSince.remove(s);
          continue;
        }
        if (leaders > 1) {
          noLeaderSince.remove(s);
          long since = manyLeadersSince.computeIfAbsent(s, k -> now);
          assertThat(now - since)
              .as(report(leaders + " leaders on side " + s + " for too long"))
              .isLessThanOrEqualTo(multiBound);
          continue;
        }
        manyLeadersSince.remove(s);
        long since = noLeaderSince.computeIfAbsent(s, k -> now);
        if (now - since > noneBound && !onlyRecentYielders(s, now)) {
          throw new AssertionError(report("no leader on side " + s + " for too long"));
        }
      }
    }

    private boolean onlyRecentYielders(int side, long now) {
      long window = T.multipliedBy(DynamicElection.YIELD_THRESHOLDS).plus(T).plus(D).toNanos();
      for (int i = 0; i < g.size(); i++) {
        if (g.isAlive(i) && g.sideOf(i) == side) {
          Long at = yieldedAt.get(i);
          if (at == null || now - at > window) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
