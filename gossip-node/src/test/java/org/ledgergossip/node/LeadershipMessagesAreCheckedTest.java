package org.ledgergossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.node.NodeFixture.CHANNEL;
import static org.ledgergossip.node.NodeFixture.FAST;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.election.LeadershipMessages;
import org.ledgergossip.node.NodeFixture.Peer;
import org.ledgergossip.spi.msp.Msp;

/**
 * Leadership messages that are forged, replayed or stale, or come from another organisation, are
 * dropped and counted, and the receiver keeps its leader.
 */
class LeadershipMessagesAreCheckedTest {

  @TempDir Path dir;

  private static final GossipConfig DYNAMIC =
      FAST.toBuilder().useLeaderElection(true).orgLeader(false).build();

  /** A leadership envelope claiming {@code claimed}, signed by {@code signer}, as a frame. */
  private static byte[] frame(Msp signer, PkiId claimed, PeerTime time, boolean declaration) {
    return LeadershipMessages.sign(CHANNEL, claimed, time, declaration, 1, signer).toByteArray();
  }

  private static void send(Peer from, byte[] frame, Peer to) {
    var unused = from.node.running().services.comm().send(frame, to.node.self());
  }

  private static double dropped(Peer p, String reason) {
    var c =
        p.meters
            .find(LeadershipAdapter.DROPPED)
            .tag("channel", CHANNEL)
            .tag("reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void forgedReplayedAndForeignLeadershipMessagesAreDroppedAndChangeNoView() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 2, 3)) {
      List<Peer> org1 = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        org1.add(f.start(1, i, DYNAMIC));
      }
      Peer foreign = f.start(2, 0, DYNAMIC);
      assertThat(
              f.runUntil(
                  () ->
                      f.leaders(org1).size() == 1
                          && org1.stream().allMatch(p -> p.node.alivePeers().size() == 3),
                  Duration.ofSeconds(30)))
          .isTrue();
      f.time.advanceBy(Duration.ofSeconds(3));
      Peer leader = f.leaders(org1).get(0);
      List<Peer> followers = org1.stream().filter(p -> p != leader).toList();
      Peer sender = followers.get(0);
      Peer target = followers.get(1);

      // Claims to come from the target itself.
      send(sender, frame(sender.msp, target.node.self(), new PeerTime(1, 1_000), true), target);
      // Forged: the sender claims the leader's identity.
      send(sender, frame(sender.msp, leader.node.self(), new PeerTime(1, 1_000), true), target);
      // Replayed / stale: genuinely signed by the leader, but older than what it sent since.
      send(sender, frame(leader.msp, leader.node.self(), new PeerTime(1, 1), true), target);
      // Another organisation's peer declares itself leader to an org1 peer.
      send(
          foreign,
          frame(foreign.msp, foreign.node.self(), new PeerTime(1, 1_000_000), true),
          target);
      f.time.advanceBy(Duration.ofSeconds(1));

      assertThat(dropped(target, "self")).as("claims to be the target").isEqualTo(1);
      assertThat(dropped(target, "bad_signature")).isEqualTo(1);
      assertThat(dropped(target, "stale")).isEqualTo(1);
      assertThat(target.node.status(CHANNEL).knownLeader()).contains(leader.node.self());
      assertThat(target.isLeader()).isFalse();
      f.time.advanceBy(Duration.ofSeconds(10));
      assertThat(f.leaders(org1)).containsExactly(leader);
      assertThat(target.node.status(CHANNEL).knownLeader()).contains(leader.node.self());
      assertThat(target.leadership).isEmpty();
    }
  }
}
