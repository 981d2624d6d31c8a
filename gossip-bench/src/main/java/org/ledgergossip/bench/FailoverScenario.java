package org.ledgergossip.bench;

import static org.ledgergossip.bench.BlockScenarios.ms;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.bench.NodeNetwork.LeadershipStamp;

/**
 * {@code failover}: N nodes of one organisation with dynamic election ({@code useLeaderElection:
 * true}), all started at once. After the warm-up (views full, block 0 everywhere, one leader,
 * {@code publishCertPeriod} passed) the emulator cuts blocks at {@code --rate}; once the leader has
 * committed a third of {@code --blocks}, and then a random part (by seed) of one declaration
 * interval ({@code leaderAliveThreshold / 2}, {@code kill_phase_ms}) later, it crashes ({@link
 * NodeNetwork#kill}: no goodbye); the emulator goes on cutting until the other two thirds are cut
 * after the kill ({@code end_height}). Measured from the kill: {@code elected_ms} until a survivor
 * declares itself leader, {@code new_leader_first_block_ms} until that new leader's block source
 * hands it its first block ({@code first_block_ms}: any survivor's), {@code
 * block_after_election_ms} the difference, {@code level_ms} until every survivor has every block
 * cut before the kill; {@code commit_gap_max_ms} is the longest pause between two consecutive
 * commits at any survivor. {@code blocks_lost}: blocks some survivor never committed (must be 0);
 * {@code leaders_end}: leaders among the survivors at the end (must be 1); {@code
 * after_kill_max_leaders} and {@code after_kill_multi_leader_ms}: simultaneous leaders among the
 * survivors after the kill. The joint start's co-leaders are given as {@code start_max_leaders},
 * {@code start_multi_leader_ms}, {@code start_longest_multi_leader_ms} (see {@link
 * JointStartScenario}).
 */
final class FailoverScenario {

  private static final Duration SETTLE = Duration.ofMillis(100);

  private final ScenarioOptions o;
  private final PrintStream out;

  FailoverScenario(ScenarioOptions options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  boolean run() throws Exception {
    int n = o.peers();
    int blocks = o.blocks();
    long setup0 = System.nanoTime();
    try (NodeNetwork net = new NodeNetwork(o, n)) {
      ResultLine line =
          BlockScenarios.line(o, "failover")
              .put("ok", false)
              .put("blocks", blocks)
              .put("block_size", o.blockSize())
              .put("rate", o.rate());
      BlockScenarios.putElectionTimers(line, net);
      Optional<BlockScenarios.Elected> started = BlockScenarios.startElected(net, n, line, out);
      if (started.isEmpty()) {
        return false;
      }
      List<NodePeer> peers = started.get().peers();
      long t0 = started.get().startedAt();
      long setup = started.get().setupDone() - setup0;
      NodePeer victim = NodeNetwork.leaders(peers).get(0);
      List<NodePeer> survivors = peers.stream().filter(p -> p != victim).toList();
      Set<Integer> all = peers.stream().map(p -> p.index).collect(Collectors.toSet());
      Set<Integer> alive = survivors.stream().map(p -> p.index).collect(Collectors.toSet());
      LeaderTimeline.of(net.leadership, all, t0, net.nanos()).put(line, "start_");

      long cpu0 = ScenarioRunner.cpuNanos();
      long wall0 = System.nanoTime();
      Cancellable cutter = net.cutAtRate(Integer.MAX_VALUE, o.rate());
      long killAfter = Math.max(1, blocks / 3);
      if (!net.runUntil(() -> victim.height() > killAfter, o.timeout())) {
        cutter.cancel();
        out.println(line.put("reached", "no_blocks").put("leader_height", victim.height()));
        return false;
      }
      // The kill falls at a random moment (by seed) within one declaration interval, so that the
      // time since the victim's last declaration is spread as a real crash spreads it.
      // SplittableRandom: java.util.Random's first double is nearly the same for seeds 1, 2, 3...
      Duration declarations = net.config.electionLeaderAliveThreshold().dividedBy(2);
      Duration phase =
          Duration.ofNanos(
              (long) (new SplittableRandom(o.seed()).nextDouble() * declarations.toNanos()));
      net.runFor(phase);
      long killedAt = net.nanos();
      long cutBeforeKill = net.ordererHeight();
      net.kill(victim);
      long target = cutBeforeKill + blocks - killAfter;
      boolean cutAll = net.runUntil(() -> net.ordererHeight() >= target, o.timeout());
      cutter.cancel();
      net.runFor(SETTLE); // a cut under way when the cutter stopped (real time) ends meanwhile
      long end = net.ordererHeight();
      boolean reached =
          cutAll
              && net.runUntil(
                  () ->
                      NodeNetwork.allAt(survivors, end)
                          && NodeNetwork.leaders(survivors).size() == 1,
                  o.timeout());
      long wall = System.nanoTime() - wall0;
      long cpu = ScenarioRunner.cpuNanos() - cpu0;

      long elected = -1;
      int newLeader = -1;
      for (LeadershipStamp s : net.leadership) {
        if (s.peer() != victim.index && s.event().leader() && s.nanos() >= killedAt) {
          if (elected < 0 || s.nanos() - killedAt < elected) {
            elected = s.nanos() - killedAt;
            newLeader = s.peer();
          }
        }
      }
      Optional<OrdererReceipts.Receipt> firstBlock =
          net.receipts.firstSince(killedAt, victim.index);
      Optional<OrdererReceipts.Receipt> newLeaderBlock =
          newLeader < 0 ? Optional.empty() : net.receipts.firstOf(newLeader, killedAt);
      LeaderTimeline after = LeaderTimeline.of(net.leadership, alive, killedAt, net.nanos());
      long level = 0;
      long gap = 0;
      int lost = 0;
      for (NodePeer p : survivors) {
        OptionalLong at = p.log.at(cutBeforeKill - 1);
        level = Math.max(level, at.isPresent() ? at.getAsLong() - killedAt : Long.MAX_VALUE);
        for (long k = 2; k < end; k++) {
          OptionalLong a = p.log.at(k - 1);
          OptionalLong b = p.log.at(k);
          if (a.isPresent() && b.isPresent()) {
            gap = Math.max(gap, b.getAsLong() - a.getAsLong());
          }
        }
      }
      for (long k = 1; k < end; k++) {
        for (NodePeer p : survivors) {
          if (p.log.at(k).isEmpty()) {
            lost++;
            break;
          }
        }
      }
      int leadersEnd = NodeNetwork.leaders(survivors).size();
      line.put("reached", reached ? "all_level" : "timeout")
          .put("victim", "peer" + victim.index)
          .put("killed_at_height", cutBeforeKill)
          .putMillis("kill_phase_ms", phase)
          .put("end_height", end)
          .put("new_leader", newLeader < 0 ? "none" : "peer" + newLeader)
          .putMillis("elected_ms", ms(elected < 0 ? -1_000_000 : elected))
          .putMillis(
              "new_leader_first_block_ms",
              ms(newLeaderBlock.map(r -> r.nanos() - killedAt).orElse(-1_000_000L)))
          .putMillis(
              "block_after_election_ms",
              ms(
                  newLeaderBlock.isPresent() && elected >= 0
                      ? newLeaderBlock.get().nanos() - killedAt - elected
                      : -1_000_000L))
          .putMillis(
              "first_block_ms", ms(firstBlock.map(r -> r.nanos() - killedAt).orElse(-1_000_000L)))
          .put("first_block", firstBlock.map(r -> r.number()).orElse(-1L))
          .putMillis("level_ms", ms(level == Long.MAX_VALUE ? -1_000_000 : level))
          .putMillis("commit_gap_max_ms", ms(gap))
          .put("blocks_lost", lost)
          .put("leaders_end", leadersEnd)
          .put("after_kill_max_leaders", after.maxLeaders())
          .putMillis("after_kill_multi_leader_ms", ms(after.multiNanos()))
          .put("victim_violations", victim.log.violations());
      int bad = BlockScenarios.putOrderCheck(line, survivors, end) + victim.log.violations();
      boolean ok =
          reached
              && lost == 0
              && bad == 0
              && leadersEnd == 1
              && elected >= 0
              && newLeaderBlock.isPresent();
      return BlockScenarios.finish(line, net, wall, cpu, setup, ok, out);
    }
  }
}
