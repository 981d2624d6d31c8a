package org.ledgergossip.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.search.Search;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgergossip.bench.ScenarioOptions.Kind;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.statetransfer.StateTransfer;

/**
 * Runs the block scenarios of BENCHMARKS.md on whole nodes ({@link NodeNetwork}) and prints their
 * {@code RESULT} lines: {@code spread} and {@code throughput} ({@link SpreadScenario}), {@code
 * catchup} ({@link CatchupScenario}) and {@code failover} ({@link FailoverScenario}). Every one
 * checks that each peer committed each block exactly once, in order, as the ordering service cut it
 * ({@link CommitLog}); a violation makes the run fail. Not thread-safe.
 */
final class BlockScenarios {

  private final ScenarioOptions o;
  private final PrintStream out;

  BlockScenarios(ScenarioOptions options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  /**
   * Runs the scenario.
   *
   * @return whether it reached its end state with every check passed
   */
  boolean run() throws Exception {
    return switch (o.scenario()) {
      case "spread" -> new SpreadScenario(o, out, false).run();
      case "throughput" -> new SpreadScenario(o, out, true).run();
      case "catchup" -> new CatchupScenario(o, out).run();
      case "failover" -> new FailoverScenario(o, out).run();
      case "partition" -> new PartitionScenario(o, out).run();
      case "jointstart" -> new JointStartScenario(o, out).run();
      default -> throw new IllegalArgumentException("not a block scenario: " + o.scenario());
    };
  }

  /** The keys every block scenario's line starts with. */
  static ResultLine line(ScenarioOptions o, String scenario) {
    ResultLine l =
        ResultLine.of(scenario)
            .put("transport", o.transport().label())
            .put("peers", o.peers())
            .put("virtual", o.virtualTime())
            .put("timers", o.timers().label());
    if (o.transport() == Kind.INMEMORY) {
      l.put("link_delay_ms", o.delayMin().toMillis() + "-" + o.delayMax().toMillis());
    }
    return l.put("seed", o.seed());
  }

  /** Adds the election timers of {@code net}'s nodes and their alive interval, in milliseconds. */
  static void putElectionTimers(ResultLine l, NodeNetwork net) {
    l.putMillis("threshold_ms", net.config.electionLeaderAliveThreshold())
        .putMillis("election_ms", net.config.electionLeaderElectionDuration())
        .putMillis("grace_ms", net.config.electionStartupGracePeriod())
        .putMillis("alive_ms", net.config.aliveTimeInterval());
  }

  /** Adds the exactly-once/in-order verdict over {@code peers}, each to end at {@code end}. */
  static int putOrderCheck(ResultLine l, List<NodePeer> peers, long end) {
    int violations = 0;
    int notExact = 0;
    String first = "none";
    for (NodePeer p : peers) {
      CommitLog log = p.log;
      violations += log.violations();
      if (!log.isExactly(end)) {
        notExact++;
        if (first.equals("none")) {
          List<String> d = log.described();
          first =
              p
                  + ":"
                  + (d.isEmpty() ? "next=" + log.next() + ",commits=" + log.commits() : d.get(0));
        }
      }
    }
    l.put("order_violations", violations)
        .put("peers_not_exact", notExact)
        .put("first_violation", first.replaceAll("[\\s=]+", "_"));
    return violations + notExact;
  }

  /** Milliseconds of {@code nanos}, as a duration for {@link ResultLine#putMillis}. */
  static Duration ms(long nanos) {
    return Duration.ofNanos(nanos);
  }

  /** The nearest-rank {@code p}-quantile (0..1) of {@code values}; 0 if empty. */
  static long quantile(long[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /**
   * Ends a scenario's line: wall, CPU and set-up times, failed scheduler tasks (virtual time), and
   * {@code ok}; prints it.
   *
   * @return {@code ok}
   */
  static boolean finish(
      ResultLine line,
      NodeNetwork net,
      long wallNanos,
      long cpuNanos,
      long setupNanos,
      boolean ok,
      PrintStream out) {
    line.putMillis("wall_ms", ms(wallNanos))
        .putMillis("cpu_ms", ms(cpuNanos))
        .putMillis("setup_ms", ms(setupNanos));
    if (net.options.virtualTime()) {
      line.put("failed_tasks", net.failedTasks());
    }
    out.println(line.put("ok", ok));
    return ok;
  }

  /**
   * Peers started by {@link #startElected}.
   *
   * @param peers the peers, by index
   * @param startedAt when they were started, on the network's clock
   * @param setupDone when the last was started, on {@link System#nanoTime()}
   */
  record Elected(List<NodePeer> peers, long startedAt, long setupDone) {}

  /**
   * Creates and starts {@code n} peers with dynamic election, waits until they see each other and
   * exactly one leads, then until {@code publishCertPeriod} has passed since the start (so that no
   * alive message carries a certificate any more); puts {@code warmup_ms}.
   *
   * @return the peers, or empty if the warm-up timed out (then the line is printed with {@code
   *     reached=warmup_timeout})
   */
  static Optional<Elected> startElected(NodeNetwork net, int n, ResultLine line, PrintStream out)
      throws Exception {
    List<NodePeer> peers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      peers.add(net.create(i, NodeNetwork.Role.ELECTED));
    }
    long t0 = net.nanos();
    for (NodePeer p : peers) {
      p.start();
    }
    long setupDone = System.nanoTime();
    Duration timeout = net.options.timeout();
    boolean warm =
        warmUp(net, peers, 1, timeout)
            && net.runUntil(() -> NodeNetwork.leaders(peers).size() == 1, timeout);
    long quiet = t0 + net.config.publishCertPeriod().toNanos();
    if (warm && net.nanos() < quiet) {
      net.runFor(ms(quiet - net.nanos()));
    }
    int leaders = NodeNetwork.leaders(peers).size();
    line.putMillis("warmup_ms", ms(net.nanos() - t0));
    if (!warm || leaders != 1) {
      out.println(line.put("reached", "warmup_timeout").put("leaders", leaders));
      return Optional.empty();
    }
    return Optional.of(new Elected(peers, t0, setupDone));
  }

  /** Waits until {@code peers} hold each other alive and all have {@code height}. */
  static boolean warmUp(NodeNetwork net, List<NodePeer> peers, long height, Duration timeout)
      throws InterruptedException {
    return net.runUntil(
        () -> NodeNetwork.converged(peers) && NodeNetwork.allAt(peers, height), timeout);
  }

  /** The ways blocks reached {@code peers} so far: push, pull, state transfer, orderer. */
  static long[] via(List<NodePeer> peers) {
    String[] ways = {"push", "pull", "state_transfer", "orderer"};
    long[] sum = new long[ways.length];
    for (NodePeer p : peers) {
      if (p.killed) {
        continue;
      }
      Map<String, Long> blocks = p.node.status(NodeNetwork.CHANNEL).blocks();
      for (int i = 0; i < ways.length; i++) {
        sum[i] += blocks.getOrDefault(ways[i], 0L);
      }
    }
    return sum;
  }

  /**
   * Adds the shares of the blocks taken by {@code peers} between two {@link #via} readings that
   * came by push, pull and state transfer, in percent ({@code via_push_pct}, {@code via_pull_pct},
   * {@code via_state_pct}).
   */
  static void putVia(ResultLine l, long[] before, long[] after) {
    long push = after[0] - before[0];
    long pull = after[1] - before[1];
    long state = after[2] - before[2];
    double pct = 100.0 / Math.max(1, push + pull + state);
    l.put("via_push_pct", push * pct)
        .put("via_pull_pct", pull * pct)
        .put("via_state_pct", state * pct);
  }

  /**
   * Blocks {@code peers} dropped so far because they were beyond the payload buffer's window
   * ({@code gossip_state_dropped_total{reason=beyond_buffer}}): pushes that came too early.
   */
  static long beyondBuffer(List<NodePeer> peers) {
    double sum = 0;
    for (NodePeer p : peers) {
      if (!p.killed) {
        sum +=
            Search.in(p.node.meterRegistry())
                .name(StateTransfer.DROPPED_COUNTER)
                .tag("reason", "beyond_buffer")
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
      }
    }
    return (long) sum;
  }

  /** Bytes of the emulator's block 1 marshalled as Fabric's {@code common.Block}, or 0. */
  static long blockWireBytes(NodeNetwork net) {
    var b = net.ordererBlock(1);
    return b == null ? 0 : BlockFormat.toProto(b).getSerializedSize();
  }

  /** Payload bytes of the emulator's block 1 (its data entries), or 0. */
  static long blockBytes(NodeNetwork net) {
    var b = net.ordererBlock(1);
    return b == null ? 0 : b.dataSize();
  }
}
