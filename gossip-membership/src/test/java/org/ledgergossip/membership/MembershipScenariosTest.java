package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.membership.DiscoveryFixture.Node;

/**
 * The membership scenarios of Fabric's discovery tests (reference §9) on an in-memory network of
 * one organisation in virtual time: aliveTimeInterval 1 s, aliveExpirationTimeout 5 s, reconnect
 * and pull every 2 s.
 */
class MembershipScenariosTest {

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void metadataChangePropagatesToEveryPeer() throws Exception {
    net = new DiscoveryFixture(dir, 10);
    List<Node> nodes = startStar(10);
    assertThat(net.time.runUntil(() -> everySees(nodes, 9), Duration.ofSeconds(3))).isTrue();
    Node changer = nodes.get(4);
    Bytes metadata = Bytes.copyOf("ledger-height=42".getBytes(StandardCharsets.UTF_8));
    Map<PkiId, List<MembershipEvent>> updates = new ConcurrentHashMap<>();
    for (Node n : nodes) {
      Runnable unused =
          n.view()
              .addListener(
                  e -> {
                    if (e.type() == MembershipEvent.Type.UPDATED
                        && e.member().pkiId().equals(changer.id)) {
                      updates.computeIfAbsent(n.id, k -> new CopyOnWriteArrayList<>()).add(e);
                    }
                  });
    }

    changer.discovery().updateMetadata(metadata);
    Instant changed = net.time.now();
    boolean seen =
        net.time.runUntil(
            () ->
                nodes.stream()
                    .filter(n -> n != changer)
                    .allMatch(
                        n ->
                            n.view()
                                .member(changer.id)
                                .map(Member::metadata)
                                .filter(metadata::equals)
                                .isPresent()),
            Duration.ofSeconds(5));

    System.out.println(
        "metadata seen by all 9 after " + Duration.between(changed, net.time.now()) + " (virtual)");
    assertThat(seen).as("every peer sees the new metadata within 5 s").isTrue();
    assertThat(changer.discovery().metadata()).isEqualTo(metadata);
    for (Node n : nodes) {
      if (n != changer) {
        assertThat(updates.get(n.id))
            .as("UPDATED events of %s at peer %s", changer.index, n.index)
            .isNotEmpty()
            .allSatisfy(e -> assertThat(e.member().metadata()).isEqualTo(metadata));
        assertThat(n.view().isAlive(changer.id)).isTrue();
      }
    }
  }

  @Test
  void threeGroupsMergedByAConnectorConvergeAndSurviveTheConnectorsDeath() throws Exception {
    net = new DiscoveryFixture(dir, 16);
    net.network.faults().delay(Duration.ofMillis(5), Duration.ofMillis(50));
    List<Node> all = new ArrayList<>();
    List<List<Node>> groups = new ArrayList<>();
    for (int g = 0; g < 3; g++) {
      List<Node> group = new ArrayList<>();
      Node first = net.peer(5 * g, List.of());
      group.add(first);
      for (int i = 1; i < 5; i++) {
        group.add(net.peer(5 * g + i, List.of(first.endpoint)));
      }
      groups.add(group);
      all.addAll(group);
    }
    // Alone, each group converges among itself and knows nobody else.
    assertThat(net.time.runUntil(() -> everySees(all, 4), Duration.ofSeconds(5))).isTrue();
    net.time.advanceBy(Duration.ofSeconds(5));
    assertThat(all).allSatisfy(n -> assertThat(n.view().size()).isEqualTo(4));

    Node connector =
        net.peer(
            15,
            List.of(
                groups.get(0).get(0).endpoint,
                groups.get(1).get(0).endpoint,
                groups.get(2).get(0).endpoint));
    all.add(connector);
    Instant joined = net.time.now();
    boolean merged = net.time.runUntil(() -> everySees(all, 15), Duration.ofSeconds(10));
    System.out.println(
        "3 groups of 5 merged by a connector in "
            + Duration.between(joined, net.time.now())
            + " (virtual)");
    assertThat(merged).as("all 16 peers see 15 alive within 10 s").isTrue();

    net.kill(connector);
    List<Node> rest = new ArrayList<>(all);
    rest.remove(connector);
    Instant killed = net.time.now();
    boolean detected =
        net.time.runUntil(
            () -> rest.stream().allMatch(n -> !n.view().isAlive(connector.id)),
            DiscoveryFixture.EXPIRATION.multipliedBy(3));
    System.out.println(
        "connector's death detected by all 15 after "
            + Duration.between(killed, net.time.now())
            + " (virtual)");
    assertThat(detected).as("the connector is dead everywhere within 15 s").isTrue();
    net.time.advanceBy(DiscoveryFixture.EXPIRATION.multipliedBy(2));
    for (Node n : rest) {
      assertThat(n.view().alive())
          .as("alive at peer %s", n.index)
          .hasSize(14)
          .extracting(Member::pkiId)
          .doesNotContain(connector.id);
      assertThat(n.view().dead()).extracting(Member::pkiId).containsExactly(connector.id);
    }
  }

  @Test
  void aDeadPeerComesBackAliveWithANewIncarnationNumber() throws Exception {
    net = new DiscoveryFixture(dir, 5);
    List<Node> nodes = startStar(5);
    assertThat(net.time.runUntil(() -> everySees(nodes, 4), Duration.ofSeconds(3))).isTrue();
    Node victim = nodes.get(3);
    List<Node> others = new ArrayList<>(nodes);
    others.remove(victim);
    net.kill(victim);
    assertThat(
            net.time.runUntil(
                () -> others.stream().noneMatch(n -> n.view().isAlive(victim.id)),
                DiscoveryFixture.EXPIRATION.multipliedBy(3)))
        .isTrue();
    List<PkiId> cameBack = new CopyOnWriteArrayList<>();
    for (Node n : others) {
      Runnable unused =
          n.view()
              .addListener(
                  e -> {
                    if (e.type() == MembershipEvent.Type.ALIVE_AGAIN
                        && e.member().pkiId().equals(victim.id)) {
                      cameBack.add(n.id);
                    }
                  });
    }

    Node reborn = net.restart(victim, 2);
    boolean back =
        net.time.runUntil(
            () ->
                others.stream()
                    .allMatch(
                        n ->
                            n.view().isAlive(victim.id)
                                && n.view().member(victim.id).orElseThrow().lastSeen().incNum()
                                    == 2),
            Duration.ofSeconds(10));

    assertThat(back).as("alive again everywhere with inc_num 2 within 10 s").isTrue();
    assertThat(cameBack)
        .containsExactlyInAnyOrderElementsOf(others.stream().map(n -> n.id).toList());
    assertThat(reborn.id).isEqualTo(victim.id);
    assertThat(net.time.runUntil(() -> reborn.view().alive().size() == 4, Duration.ofSeconds(5)))
        .isTrue();
    // And it stays alive: the old incarnation's messages (inc_num 1) can no longer win.
    net.time.advanceBy(DiscoveryFixture.EXPIRATION.multipliedBy(2));
    assertThat(others).allSatisfy(n -> assertThat(n.view().isAlive(victim.id)).isTrue());
  }

  /**
   * With msgExpirationFactor 3 a dead peer is forgotten 15 s after its last alive message; the
   * bootstrap peer, dead as long, stays known as dead, is re-dialled, and is alive again as soon as
   * it restarts.
   */
  @Test
  void deadPeersArePurgedAfterExpirationTimesFactorExceptBootstrapPeersWhichAreRedialled()
      throws Exception {
    GossipConfig config = DiscoveryFixture.CONFIG.toBuilder().msgExpirationFactor(3).build();
    Duration purge = DiscoveryFixture.EXPIRATION.multipliedBy(3);
    net = new DiscoveryFixture(dir, 5, config);
    List<Node> nodes = startStar(5);
    assertThat(net.time.runUntil(() -> everySees(nodes, 4), Duration.ofSeconds(3))).isTrue();
    Node bootstrap = nodes.get(0);
    Node plain = nodes.get(4);
    List<Node> survivors = nodes.subList(1, 4);
    net.kill(bootstrap);
    net.kill(plain);
    Instant killed = net.time.now();

    // Dead, not yet purged, well before the purge time.
    net.time.advanceBy(purge.minus(Duration.ofSeconds(5)));
    for (Node n : survivors) {
      assertThat(n.view().dead())
          .extracting(Member::pkiId)
          .containsExactlyInAnyOrder(bootstrap.id, plain.id);
    }
    boolean purged =
        net.time.runUntil(
            () -> survivors.stream().allMatch(n -> n.view().member(plain.id).isEmpty()),
            Duration.ofSeconds(10));
    Duration took = Duration.between(killed, net.time.now());
    System.out.println("dead peer purged everywhere " + took + " after its kill (virtual)");
    assertThat(purged).isTrue();
    // A survivor that missed the victim's last push gets it at its next pull (see DiscoveryTest).
    assertThat(took)
        .isLessThanOrEqualTo(purge.plus(DiscoveryFixture.CHECK).plus(DiscoveryFixture.PULL))
        .isGreaterThan(purge.minus(DiscoveryFixture.PULL).minus(DiscoveryFixture.ALIVE));

    net.time.advanceBy(purge.multipliedBy(2));
    for (Node n : survivors) {
      assertThat(n.view().alive()).hasSize(2);
      assertThat(n.view().dead()).extracting(Member::pkiId).containsExactly(bootstrap.id);
      assertThat(n.view().member(plain.id)).isEmpty();
    }

    Node reborn = net.restart(bootstrap, 2);
    boolean redialled =
        net.time.runUntil(
            () ->
                survivors.stream().allMatch(n -> n.view().isAlive(bootstrap.id))
                    && reborn.view().alive().size() == 3,
            Duration.ofSeconds(10));
    assertThat(redialled)
        .as("the restarted bootstrap peer (itself bootstrapping from nobody) is found again")
        .isTrue();
    assertThat(reborn.view().member(plain.id)).isEmpty();
  }

  /** Peers 0 to {@code peers - 1}, all bootstrapping from peer 0. */
  private List<Node> startStar(int peers) throws Exception {
    List<Node> nodes = new ArrayList<>();
    nodes.add(net.peer(0, List.of()));
    for (int i = 1; i < peers; i++) {
      nodes.add(net.peer(i, List.of(nodes.get(0).endpoint)));
    }
    return nodes;
  }

  private static boolean everySees(List<Node> nodes, int alive) {
    return nodes.stream().allMatch(n -> n.view().alive().size() == alive);
  }
}
