package org.ledgergossip.bench;

import static org.ledgergossip.bench.BlockScenarios.ms;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.time.Cancellable;

/**
 * {@code partition}: N nodes of one organisation with dynamic election, started at once. After the
 * warm-up (one leader L) the emulator cuts blocks at {@code --rate}; one second later the org is
 * split in two: side A = L and the next ⌈N/2⌉−1 peers by index, side B = the others ({@link
 * Partitions#partition}: in memory the network's partition, on Netty frames across black-holed in
 * every peer's transport; with {@code --partition-mode reset} the connections across are also
 * closed at the split, otherwise they stay open and silent). {@code split_ms}: from the split until
 * each side has exactly one leader for good (within the partition). The split lasts {@code
 * --partition-for} (default {@code leaderAliveThreshold + leaderElectionDuration +
 * aliveExpirationTimeout + 2 × aliveTimeInterval}, so that the membership views split too), counted
 * from the split. At the heal the cutter stops. {@code one_leader_ms}: from the heal until exactly
 * one leader remains for good; {@code level_ms}: until every peer has every block cut; {@code
 * healed_ms}: the later of the two ({@code merged_ms}: until every view is full again; {@code
 * spread_at_heal}: blocks between the highest and the lowest ledger at the heal). Then {@value
 * #TAIL} more blocks are cut at {@code --rate} and must reach every peer from the one leader
 * ({@code tail_ms}: from the first cut until the last peer has the last). Checked at the end: every
 * peer committed every block exactly once, in order, the ordering service's; one leader, still so
 * after {@value #HOLD_THRESHOLDS} leader alive thresholds more.
 */
final class PartitionScenario {

  /** Blocks cut after the heal, through the one remaining leader. */
  static final int TAIL = 20;

  /** Leader alive thresholds the one leader must last at the end. */
  static final int HOLD_THRESHOLDS = 3;

  private final ScenarioOptions o;
  private final PrintStream out;

  PartitionScenario(ScenarioOptions options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  /** The default length of the split for {@code config}. */
  static Duration defaultSplit(GossipConfig config) {
    return config
        .electionLeaderAliveThreshold()
        .plus(config.electionLeaderElectionDuration())
        .plus(config.aliveExpirationTimeout())
        .plus(config.aliveTimeInterval().multipliedBy(2));
  }

  boolean run() throws Exception {
    int n = o.peers();
    long setup0 = System.nanoTime();
    try (NodeNetwork net = new NodeNetwork(o, n)) {
      ResultLine line = BlockScenarios.line(o, "partition").put("ok", false).put("rate", o.rate());
      BlockScenarios.putElectionTimers(line, net);
      Duration split = o.partitionFor().isZero() ? defaultSplit(net.config) : o.partitionFor();
      line.putMillis("partition_for_ms", split)
          .put("mode", o.partitionReset() ? "reset" : "black-hole");
      Optional<BlockScenarios.Elected> started = BlockScenarios.startElected(net, n, line, out);
      if (started.isEmpty()) {
        return false;
      }
      List<NodePeer> peers = started.get().peers();
      long setup = started.get().setupDone() - setup0;
      NodePeer old = NodeNetwork.leaders(peers).get(0);
      List<NodePeer> sideA = new ArrayList<>(List.of(old));
      for (NodePeer p : peers) {
        if (p != old && sideA.size() < (n + 1) / 2) {
          sideA.add(p);
        }
      }
      List<NodePeer> sideB = peers.stream().filter(p -> !sideA.contains(p)).toList();
      Set<Integer> a = indexes(sideA);
      Set<Integer> b = indexes(sideB);
      Set<Integer> all = indexes(peers);
      line.put("side_a", sideA.size())
          .put("side_b", sideB.size())
          .put("old_leader", "peer" + old.index);

      long cpu0 = ScenarioRunner.cpuNanos();
      long wall0 = System.nanoTime();
      Cancellable cutter = net.cutAtRate(Integer.MAX_VALUE, o.rate());
      net.runFor(Duration.ofSeconds(1));
      long lost0 = net.partitions.framesLostToPartition();
      long splitAt = net.nanos();
      int reset = net.partitions.partition(List.of(a, b), o.partitionReset());
      boolean splitReached =
          net.runUntil(
              () ->
                  NodeNetwork.leaders(sideA).size() == 1 && NodeNetwork.leaders(sideB).size() == 1,
              o.timeout());
      long remaining = splitAt + split.toNanos() - net.nanos();
      if (remaining > 0) {
        net.runFor(ms(remaining));
      }
      int viewMax = 0;
      for (NodePeer p : peers) {
        viewMax = Math.max(viewMax, p.node.alivePeers().size());
      }
      long healAt = net.nanos();
      LeaderTimeline ta = LeaderTimeline.of(net.leadership, a, splitAt, healAt);
      LeaderTimeline tb = LeaderTimeline.of(net.leadership, b, splitAt, healAt);
      List<NodePeer> leadersB = NodeNetwork.leaders(sideB);
      long top = 0;
      long bottom = Long.MAX_VALUE;
      for (NodePeer p : peers) {
        top = Math.max(top, p.height());
        bottom = Math.min(bottom, p.height());
      }
      net.partitions.heal();
      cutter.cancel();
      // In real time a cut may still be under way: the level is judged on the height at the heal,
      // the tail and the final check on the emulator's height once the tail is cut.
      long cutEnd = net.ordererHeight();
      long lostSplit = net.partitions.framesLostToPartition() - lost0;

      long[] merged = {-1};
      long[] level = {-1};
      boolean healed =
          net.runUntil(
              () -> {
                long now = net.nanos();
                if (merged[0] < 0 && NodeNetwork.converged(peers)) {
                  merged[0] = now - healAt;
                }
                if (level[0] < 0 && NodeNetwork.allAt(peers, cutEnd)) {
                  level[0] = now - healAt;
                }
                return merged[0] >= 0 && level[0] >= 0 && NodeNetwork.leaders(peers).size() == 1;
              },
              o.timeout());
      // The cutter stopped at the heal, so every cut is done by now; the emulator cuts the tail on
      // its own thread.
      long end = net.ordererHeight() + TAIL;
      long tailAt = net.nanos();
      Cancellable tailCutter = net.cutAtRate(TAIL, o.rate());
      boolean tail = healed && net.runUntil(() -> NodeNetwork.allAt(peers, end), o.timeout());
      long tailMs = -1;
      if (tail) {
        for (NodePeer p : peers) {
          OptionalLong at = p.log.at(end - 1);
          tailMs = Math.max(tailMs, at.isPresent() ? at.getAsLong() - tailAt : Long.MAX_VALUE);
        }
      }
      tailCutter.cancel();
      net.runFor(net.config.electionLeaderAliveThreshold().multipliedBy(HOLD_THRESHOLDS));
      long finish = net.nanos();
      long wall = System.nanoTime() - wall0;
      long cpu = ScenarioRunner.cpuNanos() - cpu0;

      LeaderTimeline after = LeaderTimeline.of(net.leadership, all, healAt, finish);
      long splitMs =
          ta.stableOneNanos() < 0 || tb.stableOneNanos() < 0
              ? -1
              : Math.max(ta.stableOneNanos(), tb.stableOneNanos());
      long oneMs = after.stableOneNanos();
      List<NodePeer> leadersEnd = NodeNetwork.leaders(peers);
      line.put(
              "reached",
              !splitReached
                  ? "no_split"
                  : !healed ? "heal_timeout" : !tail ? "tail_timeout" : "healed")
          .putMillis("split_ms", ms(splitMs < 0 ? -1_000_000 : splitMs))
          .put("side_a_max_leaders", ta.maxLeaders())
          .put("side_b_max_leaders", tb.maxLeaders())
          .put("side_b_leader", leadersB.size() == 1 ? "peer" + leadersB.get(0).index : "none")
          .put("view_max_at_heal", viewMax)
          .put("frames_lost_split", lostSplit)
          .put("connections_reset", reset)
          .put("blocks_at_heal", cutEnd - 1)
          .put("spread_at_heal", top - bottom)
          .putMillis("one_leader_ms", ms(oneMs < 0 ? -1_000_000 : oneMs))
          .putMillis("level_ms", ms(level[0] < 0 ? -1_000_000 : level[0]))
          .putMillis(
              "healed_ms", ms(oneMs < 0 || level[0] < 0 ? -1_000_000 : Math.max(oneMs, level[0])))
          .putMillis("merged_ms", ms(merged[0] < 0 ? -1_000_000 : merged[0]));
      after.put(line, "heal_");
      line.putMillis("tail_ms", ms(tailMs < 0 ? -1_000_000 : tailMs))
          .put("leaders_end", leadersEnd.size())
          .put("leader_end", leadersEnd.size() == 1 ? "peer" + leadersEnd.get(0).index : "none");
      int bad = BlockScenarios.putOrderCheck(line, peers, end);
      boolean ok =
          splitReached
              && healed
              && tail
              && splitMs >= 0
              && oneMs >= 0
              && leadersEnd.size() == 1
              && bad == 0;
      return BlockScenarios.finish(line, net, wall, cpu, setup, ok, out);
    }
  }

  private static Set<Integer> indexes(List<NodePeer> peers) {
    return peers.stream().map(p -> p.index).collect(Collectors.toCollection(HashSet::new));
  }
}
