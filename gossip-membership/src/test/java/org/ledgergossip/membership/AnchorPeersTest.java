package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.Member;
import org.ledgergossip.membership.DiscoveryFixture.Node;
import org.ledgergossip.transport.inmemory.NetworkEvent;

/**
 * Anchor and bootstrap peers across two organisations (reference §3), on an in-memory network in
 * virtual time with the timers of {@link DiscoveryFixture}.
 */
class AnchorPeersTest {

  private static final String ORG2 = "Org2MSP";

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void twoOrganisationsMeetThroughAnAnchorPeerAddedAtRunTime() throws Exception {
    net = new DiscoveryFixture(dir, 2, 3, DiscoveryFixture.CONFIG);
    List<Node> org1 = org(1, 3, true);
    List<Node> org2 = org(2, 3, true);
    List<Node> all = concat(org1, org2);
    assertThat(net.time.runUntil(() -> everySees(all, 2), Duration.ofSeconds(3))).isTrue();
    net.time.advanceBy(Duration.ofSeconds(5));
    assertThat(all).allSatisfy(n -> assertThat(n.view().size()).isEqualTo(2));

    // One peer of Org1 learns Org2's anchor peer (as a channel join would tell it).
    org1.get(1).discovery().addAnchorPeers(ORG2, List.of(org2.get(0).endpoint));
    boolean merged = net.time.runUntil(() -> everySees(all, 5), Duration.ofSeconds(10));

    assertThat(merged).as("all six peers see five alive within 10 s").isTrue();
    for (Node n : org1) {
      assertThat(n.view().alive())
          .filteredOn(m -> m.mspId().equals(ORG2))
          .hasSize(3)
          .allSatisfy(m -> assertThat(m.internalEndpoint()).isEmpty());
    }
  }

  /**
   * An anchor peer, dead for longer than aliveExpirationTimeout × msgExpirationFactor, stays known
   * as dead by the peer that has it as anchor (and is re-dialled), while a peer for which it is an
   * ordinary peer forgets it.
   */
  @Test
  void anAnchorPeerIsNeverPurgedAndIsRedialledWhenItComesBack() throws Exception {
    GossipConfig config = DiscoveryFixture.CONFIG.toBuilder().msgExpirationFactor(3).build();
    net = new DiscoveryFixture(dir, 2, 2, config);
    Node org2a = net.peer(2, 0, List.of(), true, b -> {});
    Endpoint anchor = org2a.endpoint;
    Node withAnchor = net.peer(1, 0, List.of(), true, b -> b.anchorPeers(ORG2, List.of(anchor)));
    Node colleague = net.peer(1, 1, List.of(withAnchor.endpoint), true, b -> {});
    List<Node> all = List.of(org2a, withAnchor, colleague);
    assertThat(net.time.runUntil(() -> everySees(all, 2), Duration.ofSeconds(5))).isTrue();

    net.kill(org2a);
    net.time.advanceBy(DiscoveryFixture.EXPIRATION.multipliedBy(3 * 3));

    assertThat(colleague.view().member(org2a.id)).as("purged by the colleague").isEmpty();
    assertThat(withAnchor.view().dead()).extracting(Member::pkiId).containsExactly(org2a.id);

    Node reborn = net.restart(org2a, 2);
    assertThat(
            net.time.runUntil(
                () -> withAnchor.view().isAlive(org2a.id) && reborn.view().alive().size() == 2,
                Duration.ofSeconds(10)))
        .as("the restarted anchor is dialled again and everyone meets again")
        .isTrue();
  }

  @Test
  void aPeerWithoutExternalEndpointSkipsAnchorPeersOfAnotherOrganisation() throws Exception {
    net = new DiscoveryFixture(dir, 2, 2, DiscoveryFixture.CONFIG);
    Set<Endpoint> contacted = ConcurrentHashMap.newKeySet();
    Node anchor = net.peer(2, 0, List.of(), true, b -> {});
    var unused =
        net.network.events(
            e -> {
              if (e.to().equals(anchor.endpoint)
                  && (e.type() == NetworkEvent.Type.CONNECTED
                      || e.type() == NetworkEvent.Type.DIAL_FAILED)) {
                contacted.add(e.from());
              }
            });
    Node internalOnly =
        net.peer(1, 0, List.of(), false, b -> b.anchorPeers(ORG2, List.of(anchor.endpoint)));
    Node colleague = net.peer(1, 1, List.of(internalOnly.endpoint), true, b -> {});

    net.time.advanceBy(Duration.ofSeconds(15));

    assertThat(internalOnly.view().alive()).extracting(Member::pkiId).containsExactly(colleague.id);
    assertThat(anchor.view().size()).isZero();
    assertThat(anchor.comm.connection(internalOnly.id)).isEmpty();
    assertThat(contacted).as("endpoints that dialled the foreign anchor").isEmpty();
  }

  @Test
  void aBootstrapPeerOfAnotherOrganisationIsRefused() throws Exception {
    net = new DiscoveryFixture(dir, 2, 2, DiscoveryFixture.CONFIG);
    Node foreign = net.peer(2, 0, List.of(), true, b -> {});
    Node peer = net.peer(1, 0, List.of(foreign.endpoint), true, b -> {});

    net.time.advanceBy(Duration.ofSeconds(10));

    assertThat(peer.comm.connection(foreign.id)).isEmpty();
    assertThat(peer.view().size()).isZero();
    assertThat(foreign.view().size()).isZero();
  }

  @Test
  void anAnchorPeerAnnouncedForTheWrongOrganisationIsRefused() throws Exception {
    net = new DiscoveryFixture(dir, 2, 2, DiscoveryFixture.CONFIG);
    Node foreign = net.peer(2, 0, List.of(), true, b -> {});
    Node peer = net.peer(1, 0, List.of(), true, b -> b.anchorPeers("Org1MSP", List.of()));
    peer.discovery().addAnchorPeers("Org1MSP", List.of(foreign.endpoint));

    net.time.advanceBy(Duration.ofSeconds(10));

    assertThat(peer.comm.connection(foreign.id)).isEmpty();
    assertThat(peer.view().size()).isZero();
    assertThat(foreign.view().size()).isZero();
  }

  /** Peers 0 to {@code peers - 1} of {@code org}, bootstrapping from its peer 0. */
  private List<Node> org(int org, int peers, boolean external) throws Exception {
    List<Node> nodes = new ArrayList<>();
    nodes.add(net.peer(org, 0, List.of(), external, b -> {}));
    for (int i = 1; i < peers; i++) {
      nodes.add(net.peer(org, i, List.of(nodes.get(0).endpoint), external, b -> {}));
    }
    return nodes;
  }

  private static List<Node> concat(List<Node> a, List<Node> b) {
    List<Node> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static boolean everySees(List<Node> nodes, int alive) {
    return nodes.stream().allMatch(n -> n.view().alive().size() == alive);
  }
}
