package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.MembershipRequest;
import org.hyperledger.fabric.protos.gossip.MembershipResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.membership.DiscoveryFixture.Node;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;

/**
 * {@link Discovery} on an in-memory network of one organisation in virtual time: aliveTimeInterval
 * 1 s, aliveExpirationTimeout 5 s (checked every 0.5 s), reconnect and pull every 2 s.
 */
class DiscoveryTest {

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  /** Starts peers 0 to {@code peers - 1} on {@link #net}, all bootstrapping from peer 0. */
  private List<Node> startAll(int peers) throws Exception {
    List<Node> nodes = new ArrayList<>();
    nodes.add(net.peer(0, List.of()));
    for (int i = 1; i < peers; i++) {
      nodes.add(net.peer(i, List.of(nodes.get(0).endpoint)));
    }
    return nodes;
  }

  private static boolean converged(List<Node> nodes) {
    return nodes.stream().allMatch(n -> n.view().alive().size() == nodes.size() - 1);
  }

  @Test
  void tenPeersBootstrappingFromOneConvergeWithinThreeAliveIntervals() throws Exception {
    net = new DiscoveryFixture(dir, 10);
    // Every frame takes 5 to 50 ms, so that convergence takes (virtual) time.
    net.network.faults().delay(Duration.ofMillis(5), Duration.ofMillis(50));
    List<Node> nodes = startAll(10);
    Instant start = net.time.now();

    boolean converged =
        net.time.runUntil(() -> converged(nodes), DiscoveryFixture.ALIVE.multipliedBy(3));

    Duration took = Duration.between(start, net.time.now());
    System.out.println("10 peers converged in " + took + " of virtual time");
    assertThat(converged).as("every peer sees 9 alive within 3 s, after %s", took).isTrue();
    for (Node n : nodes) {
      assertThat(n.view().alive()).extracting(Member::pkiId).doesNotContain(n.id);
      assertThat(n.view().dead()).isEmpty();
    }
    // Still converged, and nobody dies, once the alive messages keep flowing.
    net.time.advanceBy(DiscoveryFixture.EXPIRATION.multipliedBy(2));
    assertThat(converged(nodes)).isTrue();
    assertThat(nodes).allSatisfy(n -> assertThat(n.view().dead()).isEmpty());
  }

  /**
   * A peer cut off by a partition (its connections stay open, its frames are lost): with every
   * alive message pushed straight to every peer (propagatePeerNum = 9), each peer's last refresh of
   * the victim is at most the cut, so it is dead everywhere within aliveExpirationTimeout + one
   * check interval of the cut.
   */
  @Test
  void aSilentPeerIsMarkedDeadByEveryOtherWithinTheExpirationTimeoutAndOneCheck() throws Exception {
    Duration took = silenceOneOfTen(DiscoveryFixture.config(9), this::isolate);
    assertThat(took)
        .isLessThanOrEqualTo(DiscoveryFixture.EXPIRATION.plus(DiscoveryFixture.CHECK))
        .isGreaterThanOrEqualTo(DiscoveryFixture.EXPIRATION.minus(DiscoveryFixture.ALIVE));
  }

  /**
   * With the push to 3 random peers, a peer that missed the victim's last push gets that message at
   * its next pull, which restarts its timer (as in Fabric): the bound grows by one pull interval.
   */
  @Test
  void withPartialPushASilentPeerIsDeadEverywhereWithinOnePullIntervalMore() throws Exception {
    Duration took = silenceOneOfTen(DiscoveryFixture.CONFIG, this::isolate);
    assertThat(took)
        .isLessThanOrEqualTo(
            DiscoveryFixture.EXPIRATION.plus(DiscoveryFixture.CHECK).plus(DiscoveryFixture.PULL))
        .isGreaterThanOrEqualTo(DiscoveryFixture.EXPIRATION.minus(DiscoveryFixture.ALIVE));
  }

  /**
   * A killed peer's connections close and nobody can dial it again: every other peer presumes it
   * dead once {@code connTimeout} has passed without a new connection (Fabric marks a peer dead at
   * once when a send to it fails), long before the expiration timeout.
   */
  @Test
  void aKilledPeerIsPresumedDeadByEveryOtherOnceItsConnectionClosedForConnTimeout()
      throws Exception {
    Duration took = silenceOneOfTen(DiscoveryFixture.CONFIG, victim -> net.kill(victim));
    Duration connTimeout = DiscoveryFixture.CONFIG.connTimeout();
    assertThat(took)
        .isGreaterThanOrEqualTo(connTimeout)
        .isLessThan(connTimeout.plusMillis(100))
        .isLessThan(DiscoveryFixture.EXPIRATION);
  }

  /** A peer presumed dead because a connection closed comes back with its next alive message. */
  @Test
  void aPeerPresumedDeadByAClosedConnectionIsAliveAgainWithItsNextAliveMessage() throws Exception {
    net = new DiscoveryFixture(dir, 3);
    List<Node> nodes = startAll(3);
    assertThat(net.time.runUntil(() -> converged(nodes), DiscoveryFixture.ALIVE.multipliedBy(3)))
        .isTrue();
    Node a = nodes.get(0);
    Node b = nodes.get(1);
    net.network.faults().partition(List.of(Set.of(a.endpoint), Set.of(b.endpoint)));
    a.comm.connection(b.id).orElseThrow().connection().close();
    assertThat(
            net.time.runUntil(
                () -> a.view().dead().size() == 1,
                DiscoveryFixture.CONFIG.connTimeout().plusMillis(100)))
        .isTrue();
    assertThat(a.view().dead()).extracting(Member::pkiId).containsExactly(b.id);
    assertThat(a.count(Discovery.PRESUMED_DEAD_COUNTER)).isEqualTo(1.0);

    net.network.faults().heal();
    assertThat(
            net.time.runUntil(
                () -> a.view().alive().size() == 2 && a.comm.connection(b.id).isPresent(),
                DiscoveryFixture.ALIVE.multipliedBy(5)))
        .isTrue();
    assertThat(a.view().dead()).isEmpty();
  }

  /**
   * A black-hole partition (connections across stay open, their frames lost) longer than the
   * expiration timeout: each side declares the other dead. As in Fabric, a peer declared dead has
   * its connection closed, so that the reconnect round dials it afresh; once the partition heals,
   * that dial gets through, its membership request brings the other side's alive messages, and the
   * views merge within a few reconnect intervals. Before the close, nothing dialled a dead peer
   * whose connection was still open, and the two halves stayed apart for good.
   */
  @Test
  void halvesSplitByABlackHolePartitionLongerThanTheExpirationMergeOnceItHeals() throws Exception {
    net = new DiscoveryFixture(dir, 6);
    List<Node> nodes = startAll(6);
    assertThat(net.time.runUntil(() -> converged(nodes), DiscoveryFixture.ALIVE.multipliedBy(3)))
        .isTrue();
    List<Node> left = nodes.subList(0, 3);
    List<Node> right = nodes.subList(3, 6);
    net.network
        .faults()
        .partition(
            List.of(
                left.stream().map(n -> n.endpoint).collect(Collectors.toSet()),
                right.stream().map(n -> n.endpoint).collect(Collectors.toSet())));
    assertThat(
            net.time.runUntil(
                () -> nodes.stream().allMatch(n -> n.view().dead().size() == 3),
                DiscoveryFixture.EXPIRATION.multipliedBy(3)))
        .as("each side sees the other dead")
        .isTrue();
    net.time.advanceBy(DiscoveryFixture.EXPIRATION.multipliedBy(4));
    assertThat(nodes).allSatisfy(n -> assertThat(n.view().alive()).hasSize(2));

    net.network.faults().heal();
    Instant healed = net.time.now();
    boolean merged =
        net.time.runUntil(
            () -> converged(nodes) && nodes.stream().allMatch(n -> n.view().dead().isEmpty()),
            DiscoveryFixture.EXPIRATION.multipliedBy(2));
    System.out.println(
        "black-hole partition healed: views merged after "
            + Duration.between(healed, net.time.now())
            + " of virtual time");
    assertThat(merged)
        .as("views merged within %s of the heal", DiscoveryFixture.EXPIRATION.multipliedBy(2))
        .isTrue();
  }

  private void isolate(Node victim) {
    net.network.faults().partition(List.of(Set.of(victim.endpoint)));
  }

  /**
   * Converges 10 peers, silences one with {@code silence}, and gives the virtual time until all 9
   * others see it dead.
   */
  private Duration silenceOneOfTen(GossipConfig config, Consumer<Node> silence) throws Exception {
    net = new DiscoveryFixture(dir, 10, config);
    List<Node> nodes = startAll(10);
    assertThat(net.time.runUntil(() -> converged(nodes), DiscoveryFixture.ALIVE.multipliedBy(3)))
        .isTrue();
    net.time.advanceBy(Duration.ofSeconds(2));
    Node victim = nodes.get(7);
    List<Node> others = new ArrayList<>(nodes);
    others.remove(victim);

    silence.accept(victim);
    Instant killed = net.time.now();
    Duration limit = DiscoveryFixture.EXPIRATION.multipliedBy(3);
    boolean allDead =
        net.time.runUntil(
            () ->
                others.stream()
                    .allMatch(
                        n -> n.view().dead().stream().anyMatch(m -> m.pkiId().equals(victim.id))),
            limit);

    Duration took = Duration.between(killed, net.time.now());
    System.out.println(
        "propagatePeerNum "
            + config.propagatePeerNum()
            + ": silenced peer dead at all 9 others after "
            + took
            + " of virtual time");
    assertThat(allDead).as("dead everywhere within %s", limit).isTrue();
    for (Node n : others) {
      assertThat(n.view().alive()).hasSize(8).extracting(Member::pkiId).doesNotContain(victim.id);
      assertThat(n.view().dead()).extracting(Member::pkiId).containsExactly(victim.id);
    }
    return took;
  }

  @Test
  void aMembershipRequestCarryingAnotherPeersAliveMessageIsDroppedAndCounted() throws Exception {
    net = new DiscoveryFixture(dir, 3);
    Node target = net.peer(0, List.of());
    Node attacker = net.raw(1);
    Msp victimMsp = new X509MspProvider().create(net.layout.mspOptions(1, 2, net.time.clock()));
    CompletableFuture<?> connected = attacker.comm.connect(target.endpoint);
    net.time.runUntilIdle();
    assertThat(connected).isCompleted();
    assertThat(target.comm.connection(attacker.id)).isPresent();

    Envelope victimAlive = signedAlive(victimMsp, net.layout.peerName(1, 2));
    attacker.comm.send(request(attacker, victimAlive, 42), target.id);
    net.time.runUntilIdle();

    assertThat(target.count(Discovery.SPOOFED_COUNTER)).isEqualTo(1.0);
    assertThat(target.view().size()).isZero();
    assertThat(target.view().member(victimMsp.localIdentity().pkiId())).isEmpty();
    assertThat(responses(attacker, 42)).isEmpty();

    // The same connection with its own alive message is answered and learnt.
    Envelope ownAlive = signedAlive(attacker.msp, net.layout.peerName(1, 1));
    attacker.comm.send(request(attacker, ownAlive, 43), target.id);
    net.time.runUntilIdle();

    assertThat(responses(attacker, 43)).hasSize(1);
    assertThat(target.view().alive()).extracting(Member::pkiId).containsExactly(attacker.id);
    assertThat(target.count(Discovery.SPOOFED_COUNTER)).isEqualTo(1.0);
  }

  /**
   * A peer learnt dead from a membership response while its own connection to us is brand new (it
   * came back, and a third peer has not heard yet) keeps that connection: only a connection open
   * for a whole expiration timeout can be the silent link of an expired peer.
   */
  @Test
  void aPeerLearntDeadFromAResponseKeepsItsNewConnection() throws Exception {
    net = new DiscoveryFixture(dir, 3);
    Node target = net.peer(0, List.of());
    Node comeback = net.raw(1);
    Node informer = net.raw(2);
    CompletableFuture<?> first = comeback.comm.connect(target.endpoint);
    CompletableFuture<?> second = informer.comm.connect(target.endpoint);
    net.time.runUntilIdle();
    assertThat(first).isCompleted();
    assertThat(second).isCompleted();

    Envelope comebackAlive = signedAlive(comeback.msp, net.layout.peerName(1, 1));
    informer.comm.send(
        informer.codec.encode(
            GossipMessage.newBuilder()
                .setNonce(7)
                .setTag(GossipMessage.Tag.EMPTY)
                .setMemRes(MembershipResponse.newBuilder().addDead(comebackAlive))
                .build()),
        target.id);
    net.time.runUntilIdle();

    assertThat(target.view().dead()).extracting(Member::pkiId).containsExactly(comeback.id);
    assertThat(target.comm.connection(comeback.id)).as("the new connection is kept").isPresent();
  }

  @Test
  void aForgedAliveMessageIsDroppedCountedAndChangesNoView() throws Exception {
    net = new DiscoveryFixture(dir, 3);
    Node target = net.peer(0, List.of());
    Node forwarder = net.raw(1);
    Msp victimMsp = new X509MspProvider().create(net.layout.mspOptions(1, 2, net.time.clock()));
    CompletableFuture<?> connected = forwarder.comm.connect(target.endpoint);
    net.time.runUntilIdle();
    assertThat(connected).isCompleted();

    Envelope genuine = signedAlive(victimMsp, net.layout.peerName(1, 2));
    Envelope forged =
        genuine.toBuilder()
            .setSignature(
                ByteString.copyFrom(forwarder.msp.sign(genuine.getPayload().toByteArray())))
            .build();
    forwarder.comm.send(forwarder.codec.encode(forged), target.id);
    net.time.runUntilIdle();

    assertThat(target.count(AliveMessages.REJECTED_COUNTER, "reason", "bad_signature"))
        .isEqualTo(1.0);
    assertThat(target.view().size()).isZero();

    // The genuine message with the same payload is still accepted: the forgery did not poison the
    // deduplicator.
    forwarder.comm.send(forwarder.codec.encode(genuine), target.id);
    net.time.runUntilIdle();

    assertThat(target.view().alive())
        .extracting(Member::pkiId)
        .containsExactly(victimMsp.localIdentity().pkiId());
    assertThat(target.count(AliveMessages.REJECTED_COUNTER, "reason", "bad_signature"))
        .isEqualTo(1.0);
  }

  private static Envelope signedAlive(Msp msp, String host) {
    Endpoint endpoint = new Endpoint(host, 7051);
    return new AliveMessages(msp, new SimpleMeterRegistry())
        .sign(
            new AliveRecord(
                msp.localIdentity().pkiId(),
                Optional.of(endpoint),
                Optional.of(endpoint),
                Bytes.EMPTY,
                new PeerTime(1, 1),
                Optional.of(msp.localIdentity().serialized())));
  }

  private static byte[] request(Node from, Envelope selfInformation, long nonce) throws Exception {
    return from.codec.encode(
        GossipMessage.newBuilder()
            .setNonce(nonce)
            .setTag(GossipMessage.Tag.EMPTY)
            .setMemReq(MembershipRequest.newBuilder().setSelfInformation(selfInformation))
            .build());
  }

  private static List<ReceivedMessage> responses(Node node, long nonce) {
    return node.received.stream()
        .filter(m -> m.contentCase() == GossipMessage.ContentCase.MEM_RES)
        .filter(m -> m.message().getNonce() == nonce)
        .toList();
  }
}
