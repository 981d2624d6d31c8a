package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.membership.DiscoveryFixture.Node;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;

/**
 * Identities in {@link Discovery}, in virtual time on the in-memory network (alive 1 s, expiry 5 s,
 * pull every 2 s, publishCertPeriod 10 s): the identity pull teaches a late joiner the identities
 * that alive messages no longer carry, and a peer whose identity expires or is revoked is removed
 * from every view, disconnected, and refused afterwards.
 */
class IdentityLifecycleTest {

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  private static boolean allSeeAlive(List<Node> nodes) {
    return nodes.stream().allMatch(n -> n.view().alive().size() == nodes.size() - 1);
  }

  private static boolean knows(Node n, PkiId peer) {
    return n.view().member(peer).isPresent();
  }

  @Test
  void lateJoinerLearnsIdentitiesByPull() throws Exception {
    net = new DiscoveryFixture(dir, 5);
    List<Node> nodes = new ArrayList<>();
    nodes.add(net.peer(0, List.of()));
    for (int i = 1; i < 4; i++) {
      nodes.add(net.peer(i, List.of(nodes.get(0).endpoint)));
    }
    assertThat(net.time.runUntil(() -> allSeeAlive(nodes), Duration.ofSeconds(3))).isTrue();
    // Past publishCertPeriod: alive messages carry no identity any more.
    net.time.advanceBy(net.config.publishCertPeriod().plus(DiscoveryFixture.ALIVE.multipliedBy(2)));

    // Dial-only, so that the others cannot teach it their identities by connecting to it: it
    // must learn them from its bootstrap peer's alive messages, which need the identities.
    Node late = net.peer(4, List.of(nodes.get(0).endpoint), UnaryOperator.identity(), false);
    nodes.add(late);
    Instant joined = net.time.now();
    net.time.advanceBy(Duration.ofSeconds(1));
    assertThat(late.view().alive()).extracting(Member::pkiId).containsExactly(nodes.get(0).id);
    assertThat(late.count(AliveMessages.REJECTED_COUNTER, "reason", "unknown_identity"))
        .as("alive messages of peers whose identity it does not know yet are refused")
        .isPositive();

    boolean converged = net.time.runUntil(() -> allSeeAlive(nodes), Duration.ofSeconds(10));

    Duration took = Duration.between(joined, net.time.now());
    System.out.println("late joiner converged after " + took + " of virtual time");
    assertThat(converged).as("all 5 see 4 alive within 10 s of the join").isTrue();
    for (Node n : nodes.subList(1, 4)) {
      assertThat(late.discovery().identities().contains(n.id)).isTrue();
    }
    assertThat(late.count(IdentityPull.REJECTED_COUNTER, "reason", "invalid_identity")).isZero();
    // First round after one pullInterval, items requested after digestWaitTime; then the next
    // membership response or pushed alive message is verifiable.
    assertThat(took)
        .isLessThanOrEqualTo(
            DiscoveryFixture.PULL.plus(net.config.digestWaitTime()).plus(DiscoveryFixture.PULL));
  }

  @Test
  void expiredIdentityIsRemovedFromEveryView() throws Exception {
    net = new DiscoveryFixture(dir, 5);
    Instant now = net.time.now();
    Instant expiry = now.plusSeconds(30);
    IssuedIdentity brief = issue("brief", now.minusSeconds(60), expiry);
    Scenario s = scenario(brief);

    net.time.advanceBy(Duration.between(net.time.now(), expiry).minusMillis(1));
    assertThat(s.others).allSatisfy(n -> assertThat(n.view().isAlive(s.victim.id)).isTrue());
    assertThat(s.others).allSatisfy(n -> assertThat(n.comm.connection(s.victim.id)).isPresent());

    net.time.advanceBy(Duration.ofMillis(3)); // the mapper's timer: notAfter + 1 ms

    s.assertRemovedEverywhere("expired");
    s.assertStaysOutAndIsRefused();
  }

  @Test
  void revokedIdentityIsRemovedFromEveryView() throws Exception {
    net = new DiscoveryFixture(dir, 5);
    Instant now = net.time.now();
    IssuedIdentity doomed = issue("doomed", now.minusSeconds(60), now.plus(Duration.ofDays(30)));
    Scenario s = scenario(doomed);
    net.time.advanceBy(Duration.ofSeconds(3));

    Cryptogen.revoke(net.layout.orgDir(1), doomed.certificate(), net.time.now());
    for (Node n : s.others) {
      assertThat(n.discovery().revalidateIdentities()).as("not before the reload").isZero();
    }
    assertThat(s.others).allSatisfy(n -> assertThat(n.view().isAlive(s.victim.id)).isTrue());
    s.victim.msp.reload();
    for (Node n : s.others) {
      n.msp.reload();
      assertThat(n.discovery().revalidateIdentities()).isEqualTo(1);
    }
    net.time.runUntilIdle();

    s.assertRemovedEverywhere("invalid");
    s.assertStaysOutAndIsRefused();
  }

  /**
   * A peer that has not reloaded its MSP keeps the revoked peer, forwards its alive messages and
   * offers its identity in pull rounds: the peers that did reload refuse both and stay clean.
   */
  @Test
  void aRevokedPeerStaysOutWhileAPeerThatHasNotReloadedStillVouchesForIt() throws Exception {
    net = new DiscoveryFixture(dir, 5);
    Instant now = net.time.now();
    IssuedIdentity doomed = issue("doomed", now.minusSeconds(60), now.plus(Duration.ofDays(30)));
    Scenario s = scenario(doomed);
    Node laggard = s.others.get(2);
    List<Node> reloaded = s.others.subList(0, 2);
    Cryptogen.revoke(net.layout.orgDir(1), doomed.certificate(), net.time.now());
    for (Node n : reloaded) {
      n.msp.reload();
      assertThat(n.discovery().revalidateIdentities()).isEqualTo(1);
    }

    net.time.advanceBy(DiscoveryFixture.PULL.multipliedBy(4));

    assertThat(laggard.view().isAlive(s.victim.id)).as("the laggard still trusts it").isTrue();
    for (Node n : reloaded) {
      assertThat(knows(n, s.victim.id)).isFalse();
      assertThat(n.discovery().identities().contains(s.victim.id)).isFalse();
      assertThat(n.count(AliveMessages.REJECTED_COUNTER, "reason", "unknown_identity"))
          .as("forwarded alive messages refused")
          .isPositive();
    }
    assertThat(
            reloaded.stream()
                .mapToDouble(
                    n -> n.count(IdentityPull.REJECTED_COUNTER, "reason", "invalid_identity"))
                .sum())
        .as("the revoked identity offered by the laggard is refused when pulled")
        .isPositive();
  }

  /**
   * An identity unused for an hour leaves the mapper and the pull, but unlike an expired or revoked
   * one it does not make the view forget the peer: a dead bootstrap peer stays known, to be
   * dialled.
   */
  @Test
  void aBootstrapPeerWhoseIdentityGoesUnusedStaysKnown() throws Exception {
    net = new DiscoveryFixture(dir, 2);
    Node bootstrap = net.peer(1, List.of());
    Node peer = net.peer(0, List.of(bootstrap.endpoint));
    assertThat(net.time.runUntil(() -> peer.view().isAlive(bootstrap.id), Duration.ofSeconds(3)))
        .isTrue();
    net.kill(bootstrap);

    net.time.advanceBy(Duration.ofMinutes(70));

    assertThat(peer.discovery().identities().contains(bootstrap.id)).isFalse();
    assertThat(peer.count(IdentityPurge.REMOVED_COUNTER, "reason", "unused")).isEqualTo(1.0);
    assertThat(peer.view().dead()).extracting(Member::pkiId).containsExactly(bootstrap.id);
  }

  private IssuedIdentity issue(String cn, Instant notBefore, Instant notAfter) throws Exception {
    return Cryptogen.issueIdentity(
        net.layout.orgDir(1), net.layout.mspId(1), cn, notBefore, notAfter);
  }

  /**
   * Peers 0 to 2 and the victim (peer 3, signing as {@code identity}) converged, plus a raw peer 4
   * (a comm only) connected to peer 0, through which the test forwards the victim's later alive
   * messages.
   */
  private Scenario scenario(IssuedIdentity identity) throws Exception {
    List<Node> others = new ArrayList<>();
    others.add(net.peer(0, List.of()));
    for (int i = 1; i < 3; i++) {
      others.add(net.peer(i, List.of(others.get(0).endpoint)));
    }
    Node victim =
        net.peer(3, List.of(others.get(0).endpoint), msp -> new IssuedMsp(msp, identity), true);
    List<Node> all = new ArrayList<>(others);
    all.add(victim);
    assertThat(net.time.runUntil(() -> allSeeAlive(all), Duration.ofSeconds(3))).isTrue();
    Node forwarder = net.raw(4);
    CompletableFuture<?> connected = forwarder.comm.connect(others.get(0).endpoint);
    net.time.runUntilIdle();
    assertThat(connected).isCompleted();
    Scenario s = new Scenario(others, victim, forwarder);
    for (Node n : others) {
      n.view().addListener(e -> s.events.add(e));
    }
    return s;
  }

  private final class Scenario {
    final List<Node> others;
    final Node victim;
    final Node forwarder;
    final List<MembershipEvent> events = new CopyOnWriteArrayList<>();

    Scenario(List<Node> others, Node victim, Node forwarder) {
      this.others = others;
      this.victim = victim;
      this.forwarder = forwarder;
    }

    void assertRemovedEverywhere(String reason) {
      for (Node n : others) {
        assertThat(knows(n, victim.id)).as("%s forgot the victim", n.id).isFalse();
        assertThat(n.view().alive()).hasSize(others.size() - 1);
        assertThat(n.discovery().identities().contains(victim.id)).isFalse();
        assertThat(n.comm.connection(victim.id)).as("connection closed").isEmpty();
        assertThat(n.count(IdentityPurge.REMOVED_COUNTER, "reason", reason)).isEqualTo(1.0);
      }
      assertThat(events)
          .filteredOn(e -> e.member().pkiId().equals(victim.id))
          .extracting(MembershipEvent::type)
          .containsExactly(
              MembershipEvent.Type.PURGED,
              MembershipEvent.Type.PURGED,
              MembershipEvent.Type.PURGED);
    }

    /**
     * The victim keeps running: its redials are refused at the handshake, its alive messages (with
     * or without its identity), forwarded by a peer in good standing, are refused and counted, and
     * the identity pull does not bring it back.
     */
    void assertStaysOutAndIsRefused() throws Exception {
      Node target = others.get(0);
      double refusedBefore =
          target.count(AliveMessages.REJECTED_COUNTER, "reason", "unknown_identity");
      net.time.advanceBy(net.config.reconnectInterval().multipliedBy(3));
      for (Node n : others) {
        assertThat(knows(n, victim.id)).isFalse();
        assertThat(n.comm.connection(victim.id)).isEmpty();
        assertThat(n.discovery().identities().contains(victim.id)).isFalse();
      }

      Endpoint endpoint = victim.endpoint;
      AliveMessages signer = new AliveMessages(victim.msp, new SimpleMeterRegistry());
      for (int i = 0; i < 2; i++) {
        Optional<Bytes> carried =
            i == 0 ? Optional.empty() : Optional.of(victim.msp.localIdentity().serialized());
        Envelope later =
            signer.sign(
                new AliveRecord(
                    victim.id,
                    Optional.of(endpoint),
                    Optional.of(endpoint),
                    Bytes.EMPTY,
                    new PeerTime(1, 1_000_000 + i),
                    carried));
        forwarder.comm.send(forwarder.codec.encode(later), target.id);
        net.time.runUntilIdle();
      }
      assertThat(target.count(AliveMessages.REJECTED_COUNTER, "reason", "unknown_identity"))
          .as("both later alive messages refused")
          .isGreaterThanOrEqualTo(refusedBefore + 2);
      assertThat(knows(target, victim.id)).isFalse();
    }
  }
}
