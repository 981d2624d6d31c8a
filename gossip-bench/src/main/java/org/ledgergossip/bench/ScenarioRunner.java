package org.ledgergossip.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.ledgergossip.bench.BenchNetwork.BenchPeer;
import org.ledgergossip.bench.ScenarioOptions.Kind;

/**
 * Runs the membership scenarios of BENCHMARKS.md on a {@link BenchNetwork} and prints their {@code
 * RESULT} lines:
 *
 * <ul>
 *   <li>{@code join}: N peers start at once, all bootstrapping from peer 0; {@code join_ms} is the
 *       time from the starts until every peer has held the N−1 others alive (the maximum over peers
 *       of the first time each did; {@code member_p50_ms} is the median); {@code all_full_ms} is
 *       when every view was full at the same time ({@code ok} needs it; −1 if never). Stamps are
 *       the views' own event times, so polling adds no error. {@code deaths} counts the peers
 *       declared dead meanwhile (by anyone), {@code cpu_ms} the CPU time of the whole process,
 *       {@code wall_ms} the real time the phase took (in virtual time, what simulating it cost).
 *   <li>{@code idle}: after the join, once identities are no longer published ({@code
 *       publishCertPeriod} after the start) and at least two alive intervals after convergence, the
 *       frames and bytes every peer queues for sending over {@code --idle}, per peer and per
 *       second.
 *   <li>{@code failure}: after the join and three alive intervals, the last peer is killed (no
 *       goodbye; its endpoint refuses connections), or with {@code --silent} cut off by a partition
 *       (connections open, frames lost); {@code failure_ms} is the time until every other peer has
 *       declared it dead; {@code false_suspicions} counts every other peer declared dead by anyone
 *       meanwhile.
 * </ul>
 *
 * Every run prints the join line first, then its own. Not thread-safe.
 */
final class ScenarioRunner {

  private final ScenarioOptions o;
  private final PrintStream out;

  ScenarioRunner(ScenarioOptions options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  /**
   * Runs the scenario.
   *
   * @return whether it reached its end state (the process exit code is 0 if so)
   */
  boolean run() throws Exception {
    long setupStart = System.nanoTime();
    try (BenchNetwork net = new BenchNetwork(o)) {
      net.build();
      Duration setup = Duration.ofNanos(System.nanoTime() - setupStart);
      int n = o.peers();

      Instant t0 = net.now();
      long wall0 = System.nanoTime();
      long[] traffic0 = net.traffic();
      long cpu0 = cpuNanos();
      net.startAll();
      // Converged = every view full at the same time (not merely each full once: under churn a
      // peer can be full once and lose members again).
      boolean joined =
          net.runUntil(
              () ->
                  net.fullPeers.get() == n
                      && net.peers().stream().allMatch(p -> p.tracker.aliveCount() == n - 1),
              o.timeout());
      Duration allFull = Duration.between(t0, net.now());
      long[] traffic1 = net.traffic();
      Duration wall = Duration.ofNanos(System.nanoTime() - wall0);
      Duration cpu = Duration.ofNanos(cpuNanos() - cpu0);
      List<Duration> full = new ArrayList<>();
      for (BenchPeer p : net.peers()) {
        p.tracker.fullAt().ifPresent(at -> full.add(Duration.between(t0, at)));
      }
      Instant convergedAt = t0.plus(max(full));
      int deaths = 0;
      for (BenchPeer p : net.peers()) {
        deaths += p.tracker.deathsSince(t0).size();
      }
      ResultLine join =
          line("join")
              .put("ok", joined)
              .put("join_mode", "concurrent")
              .putMillis("join_ms", max(full))
              .putMillis("member_p50_ms", median(full))
              .putMillis("first_ms", min(full))
              .putMillis("all_full_ms", joined ? allFull : Duration.ofMillis(-1))
              .put("members_full", full.size() + "/" + n)
              .put("min_view", minView(net))
              .put("deaths", deaths)
              .put("msgs", traffic1[0] - traffic0[0])
              .put("bytes", traffic1[1] - traffic0[1])
              .putMillis("wall_ms", wall)
              .putMillis("cpu_ms", cpu)
              .putMillis("setup_ms", setup);
      out.println(join);
      if (!joined) {
        if (!o.scenario().equals("join")) {
          out.println(line(o.scenario()).put("ok", false).put("reached", "join_timeout"));
        }
        return false;
      }
      return switch (o.scenario()) {
        case "idle" -> idle(net, t0, convergedAt);
        case "failure" -> failure(net, convergedAt);
        default -> true;
      };
    }
  }

  private boolean idle(BenchNetwork net, Instant t0, Instant convergedAt) throws Exception {
    Instant quietFrom = t0.plus(BenchNetwork.CONFIG.publishCertPeriod()).plus(BenchNetwork.ALIVE);
    Instant settled = convergedAt.plus(BenchNetwork.ALIVE.multipliedBy(2));
    Instant start = quietFrom.isAfter(settled) ? quietFrom : settled;
    Duration wait = Duration.between(net.now(), start);
    if (wait.compareTo(Duration.ZERO) > 0) {
      net.runFor(wait);
    }
    Instant from = net.now();
    long[] before = net.traffic();
    long wall0 = System.nanoTime();
    long cpu0 = cpuNanos();
    net.runFor(o.idle());
    long[] after = net.traffic();
    Duration wall = Duration.ofNanos(System.nanoTime() - wall0);
    Duration cpu = Duration.ofNanos(cpuNanos() - cpu0);
    Duration window = Duration.between(from, net.now());
    double seconds = window.toNanos() / 1e9;
    int n = o.peers();
    int deaths = 0;
    for (BenchPeer p : net.peers()) {
      deaths += p.tracker.deathsSince(from).size();
    }
    int minView = minView(net);
    boolean ok = minView == n - 1 && deaths == 0;
    out.println(
        line("idle")
            .put("ok", ok)
            .putMillis("window_ms", window)
            .put("frames_per_peer_s", (after[0] - before[0]) / seconds / n)
            .put("bytes_per_peer_s", (after[1] - before[1]) / seconds / n)
            .put("frames_total_s", (after[0] - before[0]) / seconds)
            .put("bytes_total_s", (after[1] - before[1]) / seconds)
            .put("false_deaths", deaths)
            .put("min_view", minView)
            .putMillis("wall_ms", wall)
            .putMillis("cpu_ms", cpu));
    return ok;
  }

  private boolean failure(BenchNetwork net, Instant convergedAt) throws Exception {
    Instant settled = convergedAt.plus(BenchNetwork.ALIVE.multipliedBy(3));
    Duration wait = Duration.between(net.now(), settled);
    if (wait.compareTo(Duration.ZERO) > 0) {
      net.runFor(wait);
    }
    List<BenchPeer> peers = net.peers();
    BenchPeer victim = peers.get(peers.size() - 1);
    List<BenchPeer> others = peers.subList(0, peers.size() - 1);
    long[] before = net.traffic();
    long wall0 = System.nanoTime();
    long cpu0 = cpuNanos();
    Instant killedAt = net.now();
    if (o.silent()) {
      net.silence(victim);
    } else {
      net.kill(victim);
    }
    boolean detected =
        net.runUntil(
            () -> others.stream().allMatch(p -> p.tracker.deadAt(victim.id, killedAt).isPresent()),
            o.timeout());
    long[] after = net.traffic();
    Duration wall = Duration.ofNanos(System.nanoTime() - wall0);
    Duration cpu = Duration.ofNanos(cpuNanos() - cpu0);
    List<Duration> times = new ArrayList<>();
    int falseSuspicions = 0;
    for (BenchPeer p : others) {
      Optional<Instant> at = p.tracker.deadAt(victim.id, killedAt);
      at.ifPresent(a -> times.add(Duration.between(killedAt, a)));
      for (MembershipTracker.Death d : p.tracker.deathsSince(killedAt)) {
        if (!d.peer().equals(victim.id)) {
          falseSuspicions++;
        }
      }
    }
    out.println(
        line("failure")
            .put("ok", detected)
            .put("victim", "peer" + victim.index)
            .put("victim_fate", o.silent() ? "partitioned" : "killed")
            .putMillis("failure_ms", max(times))
            .putMillis("first_ms", min(times))
            .putMillis("member_p50_ms", median(times))
            .put("detected", times.size() + "/" + others.size())
            .put("false_suspicions", falseSuspicions)
            .put("expiration_ms", BenchNetwork.EXPIRATION.toMillis())
            .put("msgs", after[0] - before[0])
            .put("bytes", after[1] - before[1])
            .putMillis("wall_ms", wall)
            .putMillis("cpu_ms", cpu));
    return detected;
  }

  private ResultLine line(String scenario) {
    ResultLine l =
        ResultLine.of(scenario)
            .put("transport", o.transport().label())
            .put("peers", o.peers())
            .put("virtual", o.virtualTime())
            .put("alive_interval_ms", BenchNetwork.ALIVE.toMillis());
    if (o.transport() == Kind.INMEMORY) {
      l.put("link_delay_ms", o.delayMin().toMillis() + "-" + o.delayMax().toMillis());
    }
    return l.put("seed", o.seed());
  }

  /** CPU time used by this process so far (every thread), or 0 where the JVM does not say. */
  static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  private static int minView(BenchNetwork net) {
    int min = Integer.MAX_VALUE;
    for (BenchPeer p : net.peers()) {
      if (!p.killed) {
        min = Math.min(min, p.tracker.aliveCount());
      }
    }
    return min;
  }

  static Duration max(List<Duration> values) {
    return values.isEmpty() ? Duration.ZERO : Collections.max(values);
  }

  static Duration min(List<Duration> values) {
    return values.isEmpty() ? Duration.ZERO : Collections.min(values);
  }

  /** The nearest-rank median (the lower middle for an even count); zero if empty. */
  static Duration median(List<Duration> values) {
    if (values.isEmpty()) {
      return Duration.ZERO;
    }
    List<Duration> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((sorted.size() - 1) / 2);
  }
}
