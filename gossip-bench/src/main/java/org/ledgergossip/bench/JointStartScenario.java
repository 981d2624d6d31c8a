package org.ledgergossip.bench;

import static org.ledgergossip.bench.BlockScenarios.ms;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.ledgergossip.bench.NodeNetwork.Role;

/**
 * {@code jointstart}: N nodes of one organisation with dynamic election, built first and then all
 * started at once (in virtual time at the same instant; in real time one after another as fast as
 * {@code GossipNode.start} returns, {@code start_spread_ms}). Runs until every view is full and one
 * peer leads, then {@value #HOLD_THRESHOLDS} leader alive thresholds more. From the leadership
 * events of every peer, counted from the first start: {@code first_leader_ms}, {@code max_leaders}
 * (most simultaneous leaders), {@code multi_leader_ms} (total time with more than one), {@code
 * longest_multi_leader_ms} (longest such stretch), {@code one_leader_ms} (since when exactly one
 * has led for good), {@code changes} (leadership events). {@code within_election_duration}: the aim
 * of issue 7, never more than one leader for longer than one {@code leaderElectionDuration}. {@code
 * ok} = one leader at the end and every view full.
 */
final class JointStartScenario {

  /** Leader alive thresholds run after the org has settled. */
  static final int HOLD_THRESHOLDS = 3;

  private final ScenarioOptions o;
  private final PrintStream out;

  JointStartScenario(ScenarioOptions options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  boolean run() throws Exception {
    int n = o.peers();
    long setup0 = System.nanoTime();
    try (NodeNetwork net = new NodeNetwork(o, n)) {
      ResultLine line = BlockScenarios.line(o, "jointstart").put("ok", false);
      BlockScenarios.putElectionTimers(line, net);
      List<NodePeer> peers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        peers.add(net.create(i, Role.ELECTED));
      }
      long setup = System.nanoTime() - setup0;
      long cpu0 = ScenarioRunner.cpuNanos();
      long wall0 = System.nanoTime();
      long t0 = net.nanos();
      for (NodePeer p : peers) {
        p.start();
      }
      long spread = System.nanoTime() - wall0;
      boolean settled =
          net.runUntil(
              () -> NodeNetwork.converged(peers) && NodeNetwork.leaders(peers).size() == 1,
              o.timeout());
      long settledAt = net.nanos() - t0;
      net.runFor(net.config.electionLeaderAliveThreshold().multipliedBy(HOLD_THRESHOLDS));
      long end = net.nanos();
      long wall = System.nanoTime() - wall0;
      long cpu = ScenarioRunner.cpuNanos() - cpu0;
      Set<Integer> all = peers.stream().map(p -> p.index).collect(Collectors.toSet());
      LeaderTimeline t = LeaderTimeline.of(net.leadership, all, t0, end);
      List<NodePeer> leaders = NodeNetwork.leaders(peers);
      boolean converged = NodeNetwork.converged(peers);
      boolean within =
          t.longestMultiNanos() <= net.config.electionLeaderElectionDuration().toNanos();
      line.put("reached", settled ? "one_leader" : "timeout")
          .putMillis("start_spread_ms", ms(o.virtualTime() ? 0 : spread))
          .putMillis("settled_ms", ms(settledAt))
          .putMillis(
              "first_leader_ms", ms(t.firstLeaderNanos() < 0 ? -1_000_000 : t.firstLeaderNanos()));
      t.put(line, "");
      line.putMillis("one_leader_ms", ms(t.stableOneNanos() < 0 ? -1_000_000 : t.stableOneNanos()))
          .put("changes", t.changes())
          .put("leaders_end", leaders.size())
          .put("leader_end", leaders.size() == 1 ? "peer" + leaders.get(0).index : "none")
          .put("lowest_id_leads", leaders.size() == 1 && lowestId(leaders.get(0), peers))
          .put("within_election_duration", within);
      boolean ok = settled && leaders.size() == 1 && converged;
      return BlockScenarios.finish(line, net, wall, cpu, setup, ok, out);
    }
  }

  /** True if {@code leader} has the lowest PKI-ID of {@code peers} (Fabric's winner). */
  private static boolean lowestId(NodePeer leader, List<NodePeer> peers) {
    for (NodePeer p : peers) {
      if (p.node.self().compareTo(leader.node.self()) < 0) {
        return false;
      }
    }
    return true;
  }
}
