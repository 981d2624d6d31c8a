package org.ledgergossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.node.NodeFixture.CHANNEL;
import static org.ledgergossip.node.NodeFixture.FAST;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.node.NodeFixture.Peer;

/** Whole nodes on the in-memory network in virtual time: blocks, leaders, failures. */
class GossipNodeScenariosTest {

  @TempDir Path dir;

  private static final GossipConfig STATIC_FOLLOWER =
      FAST.toBuilder().useLeaderElection(false).orgLeader(false).build();
  private static final GossipConfig STATIC_LEADER =
      FAST.toBuilder().useLeaderElection(false).orgLeader(true).build();
  private static final GossipConfig DYNAMIC =
      FAST.toBuilder().useLeaderElection(true).orgLeader(false).build();

  private static List<Long> upTo(long height) {
    return LongStream.range(0, height).boxed().toList();
  }

  @Test
  void staticLeaderPullsAndEveryPeerCommitsEveryBlockOnceInOrder() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 6)) {
      List<Peer> peers = new ArrayList<>();
      peers.add(f.start(1, 0, STATIC_LEADER));
      for (int i = 1; i < 6; i++) {
        peers.add(f.start(1, i, STATIC_FOLLOWER));
      }
      f.orderer.cut(300);

      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 300), Duration.ofSeconds(60)))
          .as("every peer reaches height 300")
          .isTrue();
      for (Peer p : peers) {
        assertThat(p.committed).as(p.name).isEqualTo(upTo(300));
      }
      assertThat(peers.get(0).isLeader()).isTrue();
      assertThat(peers.get(0).leadership).hasSize(1);
      assertThat(peers.subList(1, 6)).noneMatch(Peer::isLeader);
      assertThat(f.orderer.subscriptions).containsOnly(peers.get(0).name);
      assertThat(
              peers
                  .get(0)
                  .meters
                  .get(NodeChannel.LEADER_GAUGE)
                  .tag("channel", CHANNEL)
                  .gauge()
                  .value())
          .isEqualTo(1.0);
      ChannelStatus status = peers.get(3).node.status(CHANNEL);
      assertThat(status.height()).isEqualTo(300);
      assertThat(status.memberHeights()).hasSize(5);
      assertThat(
              status.blocks().get("push")
                  + status.blocks().get("pull")
                  + status.blocks().get("state_transfer"))
          .isGreaterThanOrEqualTo(300);
      assertThat(peers.get(0).node.status(CHANNEL).blocks().get("orderer")).isEqualTo(300);
    }
  }

  @Test
  void dynamicElectionMakesOneLeaderThatPullsForEveryone() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 4)) {
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        peers.add(f.start(1, i, DYNAMIC));
      }
      f.orderer.cut(50);

      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 50), Duration.ofSeconds(60))).isTrue();
      assertThat(f.leaders(peers)).hasSize(1);
      Peer leader = f.leaders(peers).get(0);
      for (Peer p : peers) {
        assertThat(p.committed).as(p.name).isEqualTo(upTo(50));
        if (p != leader) {
          assertThat(p.node.status(CHANNEL).knownLeader()).contains(leader.node.self());
        }
      }
    }
  }

  @Test
  void killedLeaderIsReplacedAndTheNewLeaderPullsFromItsHeight() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 4)) {
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        peers.add(f.start(1, i, DYNAMIC));
      }
      f.orderer.cut(40);
      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 40), Duration.ofSeconds(60))).isTrue();
      Peer first = f.leaders(peers).get(0);

      f.kill(first);
      List<Peer> rest = peers.stream().filter(p -> p != first).toList();
      f.orderer.cut(40);

      assertThat(f.runUntil(() -> NodeFixture.allAt(rest, 80), Duration.ofSeconds(60))).isTrue();
      assertThat(f.leaders(rest)).hasSize(1);
      for (Peer p : rest) {
        assertThat(p.committed).as(p.name).isEqualTo(upTo(80));
      }
    }
  }

  @Test
  void leaderWhoseOrderingServiceKeepsFailingYieldsToAnother() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 3)) {
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        peers.add(f.start(1, i, DYNAMIC, 1, b -> b.yieldAfter(Duration.ofSeconds(3))));
      }
      assertThat(f.runUntil(() -> f.leaders(peers).size() == 1, Duration.ofSeconds(30))).isTrue();
      Peer first = f.leaders(peers).get(0);

      f.orderer.breakFor(first.name, true);
      f.orderer.cut(20);

      assertThat(
              f.runUntil(
                  () -> f.leaders(peers).size() == 1 && !first.isLeader(), Duration.ofSeconds(60)))
          .as("another peer leads")
          .isTrue();
      assertThat(first.leadership).last().satisfies(e -> assertThat(e.reason()).contains("yield"));
      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 20), Duration.ofSeconds(60))).isTrue();
    }
  }

  @Test
  void restartedPeerResumesFromItsLedgerWithANewIncarnationAndCatchesUp() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 3)) {
      List<Peer> peers = new ArrayList<>();
      peers.add(f.start(1, 0, STATIC_LEADER));
      peers.add(f.start(1, 1, STATIC_FOLLOWER));
      Peer victim = f.start(1, 2, STATIC_FOLLOWER);
      peers.add(victim);
      f.orderer.cut(30);
      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 30), Duration.ofSeconds(60))).isTrue();

      f.kill(victim);
      f.orderer.cut(100);
      assertThat(
              f.runUntil(() -> NodeFixture.allAt(peers.subList(0, 2), 130), Duration.ofSeconds(60)))
          .isTrue();
      Peer back = f.restart(victim, STATIC_FOLLOWER, 2);

      assertThat(back.height()).as("resumes from its ledger").isEqualTo(30);
      assertThat(back.node.incNum()).isEqualTo(2);
      assertThat(f.runUntil(() -> back.height() >= 130, Duration.ofSeconds(60))).isTrue();
      assertThat(back.committed).isEqualTo(LongStream.range(30, 130).boxed().toList());
    }
  }

  @Test
  void twoOrganisationsEachElectTheirOwnLeaderAndBothGetEveryBlock() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 2, 3)) {
      List<Peer> peers = new ArrayList<>();
      for (int org = 1; org <= 2; org++) {
        for (int i = 0; i < 3; i++) {
          peers.add(f.start(org, i, DYNAMIC));
        }
      }
      f.orderer.cut(30);

      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 30), Duration.ofSeconds(60))).isTrue();
      List<Peer> leaders = f.leaders(peers);
      assertThat(leaders).hasSize(2);
      assertThat(leaders).extracting(p -> p.org).containsExactlyInAnyOrder(1, 2);
      for (Peer p : peers) {
        assertThat(p.node.alivePeers()).as(p.name).hasSize(5);
      }
    }
  }

  @Test
  void partitionGivesOneLeaderPerSideAndTheHealLeavesExactlyOne() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 4)) {
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        peers.add(f.start(1, i, DYNAMIC));
      }
      assertThat(f.runUntil(() -> f.leaders(peers).size() == 1, Duration.ofSeconds(30))).isTrue();
      List<Peer> left = peers.subList(0, 2);
      List<Peer> right = peers.subList(2, 4);

      f.network
          .faults()
          .partition(
              java.util.Set.of(f.endpoint(1, 0), f.endpoint(1, 1)),
              java.util.Set.of(f.endpoint(1, 2), f.endpoint(1, 3)));
      assertThat(
              f.runUntil(
                  () -> f.leaders(left).size() == 1 && f.leaders(right).size() == 1,
                  Duration.ofSeconds(60)))
          .as("one leader on each side of the partition")
          .isTrue();
      // A black hole (connections across stay open, frames lost) well past the alive expiration:
      // each side has declared the other dead; the halves must still merge after the heal.
      f.time.advanceBy(NodeFixture.FAST.aliveExpirationTimeout().multipliedBy(4));
      assertThat(f.leaders(left)).hasSize(1);
      assertThat(f.leaders(right)).hasSize(1);
      assertThat(peers).allSatisfy(p -> assertThat(p.node.alivePeers()).hasSize(1));

      f.network.faults().heal();
      // A dial left hanging by the black hole times out (dialTimeout); the next reconnect round
      // dials again and gets through.
      Duration mergeBound =
          NodeFixture.FAST.dialTimeout().plus(NodeFixture.FAST.reconnectInterval().multipliedBy(2));
      assertThat(
              f.runUntil(
                  () ->
                      f.leaders(peers).size() == 1
                          && peers.stream().allMatch(p -> p.node.alivePeers().size() == 3),
                  mergeBound))
          .as("views merged and exactly one leader within %s of the heal", mergeBound)
          .isTrue();
      f.time.advanceBy(Duration.ofSeconds(10));
      assertThat(f.leaders(peers)).hasSize(1);
      f.orderer.cut(20);
      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 20), Duration.ofSeconds(60))).isTrue();
      for (Peer p : peers) {
        assertThat(p.committed).as(p.name).isEqualTo(upTo(20));
      }
    }
  }
}
