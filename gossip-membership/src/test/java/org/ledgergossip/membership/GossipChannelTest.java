package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.channel.ChannelMac;
import org.ledgergossip.core.internal.channel.ChannelRouter;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.SendStatus;
import org.ledgergossip.membership.ChannelFixture.Node;

/**
 * {@link GossipChannels} and {@link GossipChannel} on an in-memory network of two organisations in
 * virtual time: alive every 1 s, state info published and pulled every 1 s.
 */
class GossipChannelTest {

  private static final String CH = "mychannel";
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path dir;

  private ChannelFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  private static byte[] dataFrame(Node from, String channel, long seq) throws Exception {
    GossipMessage m =
        GossipMessage.newBuilder()
            .setChannel(ByteString.copyFromUtf8(channel))
            .setTag(GossipMessage.Tag.CHAN_AND_ORG)
            .setDataMsg(
                DataMessage.newBuilder()
                    .setPayload(
                        Payload.newBuilder()
                            .setSeqNum(seq)
                            .setData(ByteString.copyFromUtf8("block " + seq))))
            .build();
    return from.codec.encode(m);
  }

  private static boolean knowsHeights(Node n, Map<PkiId, Long> expected) {
    return n.channel(CH).ledgerHeights().equals(expected);
  }

  private static List<PkiId> memberIds(Node n) {
    return n.channel(CH).members().stream().map(m -> m.member().pkiId()).toList();
  }

  private static double rejected(Node n, ChannelRejections.Reason reason) {
    return n.count(GossipChannels.REJECTED_COUNTER, "reason", reason.metricTag());
  }

  /**
   * Peers that start together and join the channel at once: nobody is connected when the first
   * state info is pushed, so each peer sends its state info over every connection as it opens; the
   * channel views are whole as soon as the membership views are, well before the first state info
   * pull ({@link ChannelFixture#STATE_INFO}).
   */
  @Test
  void peersThatStartTogetherSeeEachOtherInTheChannelBeforeTheFirstPull() throws Exception {
    net = new ChannelFixture(dir, 2);
    // Links of 20-40 ms: the handshakes outlast the first push's 10 ms burst latency.
    net.network.faults().delay(Duration.ofMillis(20), Duration.ofMillis(40));
    java.time.Instant start = net.time.now();
    List<Node> peers = new java.util.ArrayList<>();
    for (int[] p : new int[][] {{1, 0}, {1, 1}, {2, 0}, {2, 1}}) {
      Node n = net.peer(p[0], p[1]);
      n.channels().join(CH, net.orgs(1, 2));
      peers.add(n);
    }
    assertThat(
            net.time.runUntil(
                () -> peers.stream().allMatch(n -> n.channel(CH).members().size() == 3), BOUND))
        .isTrue();
    Duration took = Duration.between(start, net.time.now());
    System.out.println("4 peers started together: channel views whole after " + took);
    assertThat(took).isLessThan(ChannelFixture.STATE_INFO);
  }

  @Test
  void channelMembersLearnEachOthersLedgerHeight() throws Exception {
    net = new ChannelFixture(dir, 2);
    List<Node> peers = List.of(net.peer(1, 0), net.peer(1, 1), net.peer(2, 0), net.peer(2, 1));
    assertThat(net.converge(peers)).isTrue();
    java.time.Instant joined = net.time.now();
    for (int i = 0; i < peers.size(); i++) {
      peers.get(i).channels().join(CH, net.orgs(1, 2)).setLedgerHeight(10 + i);
    }

    boolean learnt =
        net.time.runUntil(
            () ->
                peers.stream()
                    .allMatch(
                        n ->
                            knowsHeights(
                                n, expectedHeights(peers, n, p -> 10L + peers.indexOf(p)))),
            BOUND);

    assertThat(learnt).as("every peer knows the 3 others' heights").isTrue();
    System.out.println(
        "4 peers of 2 orgs learnt each other's ledger height in "
            + Duration.between(joined, net.time.now())
            + " of virtual time");
    // A later change is published at the next publishStateInfoInterval tick.
    peers.get(0).channel(CH).setLedgerHeight(42);
    assertThat(
            net.time.runUntil(
                () ->
                    peers.subList(1, 4).stream()
                        .allMatch(n -> n.channel(CH).ledgerHeights().get(peers.get(0).id) == 42L),
                BOUND))
        .isTrue();
    assertThat(peers.get(1).channel(CH).members())
        .extracting(m -> m.member().mspId())
        .containsExactlyInAnyOrder(net.layout.mspId(1), net.layout.mspId(2), net.layout.mspId(2));
  }

  private static Map<PkiId, Long> expectedHeights(
      List<Node> peers, Node self, java.util.function.ToLongFunction<Node> height) {
    Map<PkiId, Long> out = new java.util.HashMap<>();
    for (Node p : peers) {
      if (p != self) {
        out.put(p.id, height.applyAsLong(p));
      }
    }
    return out;
  }

  @Test
  void channelMessagesReachOnlyMembers() throws Exception {
    net = new ChannelFixture(dir, 3);
    Node a = net.peer(1, 0);
    Node b = net.peer(1, 1);
    Node sameOrgOutsider = net.peer(1, 2);
    Node foreign = net.peer(2, 0);
    List<Node> all = List.of(a, b, sameOrgOutsider, foreign);
    assertThat(net.converge(all)).isTrue();
    a.channels().join(CH, net.orgs(1));
    b.channels().join(CH, net.orgs(1));
    assertThat(
            net.time.runUntil(
                () -> memberIds(a).equals(List.of(b.id)) && memberIds(b).equals(List.of(a.id)),
                BOUND))
        .isTrue();

    Map<PkiId, SendStatus> toMembers = a.channel(CH).sendToMembers(dataFrame(a, CH, 1));
    Map<PkiId, SendStatus> toSome =
        a.channel(CH).send(dataFrame(a, CH, 2), List.of(b.id, sameOrgOutsider.id, foreign.id));
    net.time.advanceBy(Duration.ofSeconds(5));

    assertThat(toMembers).containsOnlyKeys(b.id);
    assertThat(toSome).containsOnlyKeys(b.id);
    assertThat(b.received).filteredOn(m -> m.contentCase() == ContentCase.DATA_MSG).hasSize(2);
    assertThat(sameOrgOutsider.received)
        .noneMatch(m -> m.contentCase() == ContentCase.DATA_MSG)
        .noneMatch(m -> m.contentCase() == ContentCase.STATE_SNAPSHOT);
    // A peer of an organisation outside the channel gets none of the channel's frames at all.
    assertThat(foreign.received).isNotEmpty().noneMatch(ChannelRouter::isChannelRestricted);
    assertThat(memberIds(a)).doesNotContain(sameOrgOutsider.id, foreign.id);
  }

  @Test
  void messageForUnjoinedChannelIsDroppedAndCounted() throws Exception {
    net = new ChannelFixture(dir, 2);
    Node a = net.peer(1, 0);
    Node raw = net.raw(1, 1);
    a.channels().join(CH, net.orgs(1));
    net.connect(raw, a);
    List<ReceivedMessage> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
    a.channel(CH).subscribe(handled::add);

    raw.comm.send(dataFrame(raw, "otherchannel", 1), a.id);
    raw.comm.send(stateInfo(raw, raw.id, "otherchannel", 5, new PeerTime(1, 1)), a.id);
    raw.comm.send(dataFrame(raw, CH, 2), a.id);
    net.time.advanceBy(Duration.ofSeconds(1));

    ChannelRouter router = a.channels().router();
    assertThat(router.droppedCount(ChannelRouter.DropReason.UNKNOWN_CHANNEL)).isEqualTo(1);
    assertThat(router.droppedCount(ChannelRouter.DropReason.UNKNOWN_MAC)).isEqualTo(1);
    assertThat(a.count(ChannelRouter.DROPPED_COUNTER, "reason", "unknown_channel")).isEqualTo(1);
    assertThat(handled)
        .extracting(m -> m.message().getDataMsg().getPayload().getSeqNum())
        .containsExactly(2L);
  }

  @Test
  void peerThatLeavesIsNoLongerAMember() throws Exception {
    net = new ChannelFixture(dir, 3);
    List<Node> peers = List.of(net.peer(1, 0), net.peer(1, 1), net.peer(1, 2));
    assertThat(net.converge(peers)).isTrue();
    peers.forEach(p -> p.channels().join(CH, net.orgs(1, 2)));
    Node leaver = peers.get(2);
    assertThat(
            net.time.runUntil(
                () -> memberIds(peers.get(0)).size() == 2 && memberIds(peers.get(1)).size() == 2,
                BOUND))
        .isTrue();

    assertThat(leaver.channels().leave(CH)).isTrue();
    boolean gone =
        net.time.runUntil(
            () ->
                !memberIds(peers.get(0)).contains(leaver.id)
                    && !memberIds(peers.get(1)).contains(leaver.id),
            BOUND);

    assertThat(gone).as("both others drop the leaver").isTrue();
    assertThat(leaver.channels().channel(CH)).isEmpty();
    assertThat(leaver.view().isAlive(peers.get(0).id)).isTrue();
    // It stays out (its left_channel state info is kept and pulled), and ignores the pulls.
    int before = leaver.received.size();
    net.time.advanceBy(Duration.ofSeconds(5));
    assertThat(memberIds(peers.get(0))).containsExactly(peers.get(1).id);
    assertThat(memberIds(peers.get(1))).containsExactly(peers.get(0).id);
    assertThat(leaver.received.subList(before, leaver.received.size()))
        .noneMatch(m -> m.contentCase() == ContentCase.STATE_SNAPSHOT);
    assertThat(peers.get(0).channel(CH).sendToMembers(dataFrame(peers.get(0), CH, 1)))
        .containsOnlyKeys(peers.get(1).id);
    // The others' pull requests now reach a peer that no longer routes the channel.
    assertThat(leaver.channels().router().droppedCount(ChannelRouter.DropReason.UNKNOWN_MAC))
        .isPositive();

    // Joining again publishes a newer state info: a member again.
    leaver.channels().join(CH, net.orgs(1, 2));
    assertThat(
            net.time.runUntil(
                () ->
                    memberIds(peers.get(0)).contains(leaver.id)
                        && memberIds(peers.get(1)).contains(leaver.id),
                BOUND))
        .isTrue();
  }

  @Test
  void latePeerLearnsExistingMembersByPullingSnapshots() throws Exception {
    net = new ChannelFixture(dir, 3);
    List<Node> peers = List.of(net.peer(1, 0), net.peer(1, 1), net.peer(2, 0));
    assertThat(net.converge(peers)).isTrue();
    peers.get(0).channels().join(CH, net.orgs(1, 2)).setLedgerHeight(5);
    peers.get(1).channels().join(CH, net.orgs(1, 2)).setLedgerHeight(6);
    net.time.advanceBy(Duration.ofSeconds(5));
    Node late = peers.get(2);
    double snapshotsBefore =
        late.received.stream().filter(m -> m.contentCase() == ContentCase.STATE_SNAPSHOT).count();

    late.channels().join(CH, net.orgs(1, 2));
    boolean learnt =
        net.time.runUntil(
            () ->
                late.channel(CH)
                    .ledgerHeights()
                    .equals(Map.of(peers.get(0).id, 5L, peers.get(1).id, 6L)),
            BOUND);

    assertThat(learnt).isTrue();
    assertThat(
            late.received.stream()
                .filter(m -> m.contentCase() == ContentCase.STATE_SNAPSHOT)
                .count())
        .isGreaterThan((long) snapshotsBefore);
    assertThat(
            net.time.runUntil(
                () ->
                    peers.get(0).channel(CH).isMember(late.id)
                        && peers.get(1).channel(CH).isMember(late.id),
                BOUND))
        .isTrue();
  }

  @Test
  void deadPeerIsNoLongerAMember() throws Exception {
    net = new ChannelFixture(dir, 3);
    List<Node> peers = List.of(net.peer(1, 0), net.peer(1, 1), net.peer(1, 2));
    assertThat(net.converge(peers)).isTrue();
    peers.forEach(p -> p.channels().join(CH, net.orgs(1)));
    assertThat(net.time.runUntil(() -> memberIds(peers.get(0)).size() == 2, BOUND)).isTrue();

    net.kill(peers.get(2));

    assertThat(
            net.time.runUntil(
                () -> memberIds(peers.get(0)).equals(List.of(peers.get(1).id)), BOUND))
        .isTrue();
  }

  @Test
  void stateInfoWithForgedSignatureIsDropped() throws Exception {
    net = new ChannelFixture(dir, 3);
    Node a = net.peer(1, 0);
    Node b = net.peer(1, 1);
    Node forger = net.raw(1, 2);
    assertThat(net.converge(List.of(a, b))).isTrue();
    a.channels().join(CH, net.orgs(1));
    b.channels().join(CH, net.orgs(1)).setLedgerHeight(3);
    assertThat(
            net.time.runUntil(() -> a.channel(CH).ledgerHeights().equals(Map.of(b.id, 3L)), BOUND))
        .isTrue();
    net.connect(forger, a);

    // b's state info, newer and claiming height 99, signed by the forger.
    raw(forger, a, stateInfo(forger, b.id, CH, 99, new PeerTime(1, 1_000_000)));
    // b's state info with a valid signature over other bytes.
    Envelope genuine =
        new StateInfoRecord(b.id, new PeerTime(1, 2_000_000), ChannelMac.of(b.id, CH), 77, false)
            .sign(b.msp);
    raw(
        forger,
        a,
        forger.codec.encode(
            genuine.toBuilder()
                .setSignature(
                    new StateInfoRecord(b.id, new PeerTime(1, 1), ChannelMac.of(b.id, CH), 1, false)
                        .sign(b.msp)
                        .getSignature())
                .build()));
    net.time.advanceBy(Duration.ofSeconds(1));

    assertThat(rejected(a, ChannelRejections.Reason.BAD_SIGNATURE)).isEqualTo(2);
    assertThat(a.channel(CH).ledgerHeights()).isEqualTo(Map.of(b.id, 3L));
  }

  @Test
  void stateInfoFromOrgOutsideChannelIsIgnored() throws Exception {
    net = new ChannelFixture(dir, 2);
    Node a = net.peer(1, 0);
    Node b = net.peer(1, 1);
    Node foreign = net.peer(2, 0);
    assertThat(net.converge(List.of(a, b, foreign))).isTrue();
    // a's channel has only Org1; b and the foreign peer believe it has both organisations.
    a.channels().join(CH, net.orgs(1));
    b.channels().join(CH, net.orgs(1, 2));
    foreign.channels().join(CH, net.orgs(1, 2));
    assertThat(net.time.runUntil(() -> memberIds(b).size() == 2, BOUND)).isTrue();
    net.time.advanceBy(Duration.ofSeconds(5));

    assertThat(memberIds(a)).containsExactly(b.id);
    assertThat(memberIds(b)).containsExactlyInAnyOrder(a.id, foreign.id);
    // Sent by the foreign peer itself: refused by its sender's organisation.
    assertThat(rejected(a, ChannelRejections.Reason.SENDER_NOT_IN_CHANNEL)).isPositive();
    // Forwarded or pulled from b: refused by the organisation of the peer it speaks for.
    assertThat(rejected(a, ChannelRejections.Reason.ORG_NOT_IN_CHANNEL)).isPositive();
  }

  @Test
  void stateInfoOfPeerWithoutExternalEndpointNeverReachesOtherOrgs() throws Exception {
    net = new ChannelFixture(dir, 2);
    Node a = net.peer(1, 0);
    Node hidden = net.peer(1, 1, false);
    Node foreign = net.peer(2, 0);
    assertThat(net.converge(List.of(a, hidden))).isTrue();
    assertThat(net.time.runUntil(() -> foreign.view().isAlive(a.id), BOUND)).isTrue();
    List.of(a, hidden, foreign).forEach(p -> p.channels().join(CH, net.orgs(1, 2)));

    assertThat(
            net.time.runUntil(
                () -> memberIds(a).size() == 2 && memberIds(foreign).equals(List.of(a.id)), BOUND))
        .isTrue();
    net.time.advanceBy(Duration.ofSeconds(5));

    assertThat(memberIds(hidden)).contains(a.id);
    assertThat(memberIds(foreign)).containsExactly(a.id);
    // Neither pushed, forwarded nor in a snapshot: no state info of the hidden peer left Org1.
    assertThat(stateInfosAbout(foreign, hidden.id)).isZero();
    assertThat(stateInfosAbout(a, hidden.id)).isPositive();
  }

  /** How many state infos about {@code about} {@code n} received, alone or in snapshots. */
  private static long stateInfosAbout(Node n, PkiId about) throws Exception {
    ByteString id = ByteString.copyFrom(about.bytes().toByteArray());
    long count = 0;
    for (ReceivedMessage m : n.received) {
      if (m.contentCase() == ContentCase.STATE_INFO
          && m.message().getStateInfo().getPkiId().equals(id)) {
        count++;
      }
      if (m.contentCase() == ContentCase.STATE_SNAPSHOT) {
        for (Envelope e : m.message().getStateSnapshot().getElementsList()) {
          if (GossipMessage.parseFrom(e.getPayload()).getStateInfo().getPkiId().equals(id)) {
            count++;
          }
        }
      }
    }
    return count;
  }

  private static byte[] stateInfo(
      Node signer, PkiId about, String channel, long height, PeerTime time) throws Exception {
    Envelope e =
        new StateInfoRecord(about, time, ChannelMac.of(about, channel), height, false)
            .sign(signer.msp);
    return signer.codec.encode(e);
  }

  private void raw(Node from, Node to, byte[] frame) {
    assertThat(from.comm.send(frame, to.id)).isEqualTo(SendStatus.QUEUED);
  }
}
