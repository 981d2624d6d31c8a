package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.membership.DiscoveryFixture.Node;

/**
 * Fabric's {@code TestMultipleOrgEndpointLeakage} on our stack: two organisations of five peers,
 * peers 0 to 2 of each with an external endpoint, peers 3 and 4 with an internal one only; each
 * organisation bootstraps from its peer 0, and every peer is given the other organisation's peer 0
 * as anchor peer. Every membership message a peer receives is inspected as it arrives.
 */
class CrossOrgConfidentialityTest {

  private static final int PEERS = 5;
  private static final int WITH_EXTERNAL = 3;

  /** Identities of foreign peers with an external endpoint pulled by peers that have one too. */
  private static final AtomicLong FOREIGN_IDENTITIES = new AtomicLong();

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void internalEndpointsNeverLeaveTheirOrganisationAndPeersWithoutExternalEndpointAreInvisible()
      throws Exception {
    net = new DiscoveryFixture(dir, 2, PEERS, DiscoveryFixture.CONFIG);
    net.network.faults().delay(Duration.ofMillis(5), Duration.ofMillis(50));
    Map<PkiId, Node> byId = new HashMap<>();
    List<Node> all = new ArrayList<>();
    List<String> leaks = new CopyOnWriteArrayList<>();
    AtomicLong inspected = new AtomicLong();
    for (int org = 1; org <= 2; org++) {
      int other = 3 - org;
      String otherMsp = net.layout.mspId(other);
      Endpoint otherAnchor = new Endpoint(net.layout.peerName(other, 0), 7051);
      for (int i = 0; i < PEERS; i++) {
        List<Endpoint> bootstrap =
            i == 0 ? List.of() : List.of(all.get((org - 1) * PEERS).endpoint);
        Node n =
            net.peer(
                org,
                i,
                bootstrap,
                i < WITH_EXTERNAL,
                b -> b.anchorPeers(otherMsp, List.of(otherAnchor)));
        Subscription unused =
            n.comm.subscribe(
                m -> true,
                m -> {
                  inspected.incrementAndGet();
                  inspect(n, m, byId, leaks);
                });
        all.add(n);
        byId.put(n.id, n);
      }
    }

    boolean converged =
        net.time.runUntil(
            () -> all.stream().allMatch(n -> n.view().alive().size() == expectedAlive(n)),
            Duration.ofSeconds(15));
    assertThat(converged)
        .as(
            "peers with an external endpoint see 4 + 3 alive, the others 4 (%s)",
            all.stream().map(n -> n.org + "." + n.index + "=" + n.view().alive().size()).toList())
        .isTrue();
    // Keep gossiping for a while (pulls, pushes, reconnects), then look again.
    net.time.advanceBy(Duration.ofSeconds(20));

    for (Node n : all) {
      assertThat(n.view().alive()).as("alive at %s.%s", n.org, n.index).hasSize(expectedAlive(n));
      assertThat(n.view().dead()).isEmpty();
      for (Member m : n.view().alive()) {
        Node peer = byId.get(m.pkiId());
        if (peer.org == n.org) {
          assertThat(m.internalEndpoint()).contains(peer.endpoint);
        } else {
          assertThat(n.external).as("only peers with an external endpoint see foreigners").isTrue();
          assertThat(peer.external).as("foreign peers seen have an external endpoint").isTrue();
          assertThat(m.internalEndpoint()).as("internal endpoint of a foreign peer").isEmpty();
          assertThat(m.externalEndpoint()).contains(peer.endpoint);
        }
      }
    }
    System.out.println("membership messages inspected: " + inspected.get());
    assertThat(inspected.get()).isGreaterThan(1000);
    assertThat(leaks).as("membership messages that told a peer too much").isEmpty();
    System.out.println("foreign identities pulled (rightly): " + FOREIGN_IDENTITIES.get());
    assertThat(FOREIGN_IDENTITIES.get()).as("identity pulls across the organisations").isPositive();
  }

  /**
   * Records a leak if an identity pulled by {@code n} belongs to a peer of another organisation
   * that has no external endpoint, or if {@code n} has none and gets any foreign identity; counts
   * the foreign identities that were rightly disclosed.
   */
  private static void inspectIdentities(
      Node n, List<Envelope> items, Map<PkiId, Node> byId, List<String> leaks) {
    for (Envelope item : items) {
      PkiId about;
      try {
        about =
            PkiId.of(
                GossipMessage.parseFrom(item.getPayload())
                    .getPeerIdentity()
                    .getPkiId()
                    .toByteArray());
      } catch (InvalidProtocolBufferException e) {
        leaks.add("undecodable identity message sent to " + n.org + "." + n.index);
        continue;
      }
      Node peer = byId.get(about);
      if (peer == null || peer.org == n.org) {
        continue;
      }
      String what = "identity of " + peer.org + "." + peer.index + " to " + n.org + "." + n.index;
      if (!peer.external) {
        leaks.add(what + ", which has no external endpoint");
      } else {
        FOREIGN_IDENTITIES.incrementAndGet();
      }
    }
  }

  private static int expectedAlive(Node n) {
    return n.external ? PEERS - 1 + WITH_EXTERNAL : PEERS - 1;
  }

  /**
   * Records a leak if {@code m}, received by {@code n}, carries an alive message about a peer of
   * another organisation that has its secret envelope, or that is about a peer without external
   * endpoint, or (to a peer without external endpoint) any foreign alive message at all.
   */
  private static void inspect(
      Node n, ReceivedMessage m, Map<PkiId, Node> byId, List<String> leaks) {
    GossipMessage message = m.message();
    List<Envelope> alive = new ArrayList<>();
    switch (message.getContentCase()) {
      case ALIVE_MSG -> alive.add(m.envelope().envelope());
      case MEM_REQ -> alive.add(message.getMemReq().getSelfInformation());
      case MEM_RES -> {
        alive.addAll(message.getMemRes().getAliveList());
        alive.addAll(message.getMemRes().getDeadList());
      }
      case DATA_UPDATE -> {
        if (message.getDataUpdate().getMsgType() == PullMsgType.IDENTITY_MSG) {
          inspectIdentities(n, message.getDataUpdate().getDataList(), byId, leaks);
        }
      }
      default -> {}
    }
    for (Envelope envelope : alive) {
      PkiId about;
      try {
        about =
            PkiId.of(
                GossipMessage.parseFrom(envelope.getPayload())
                    .getAliveMsg()
                    .getMembership()
                    .getPkiId()
                    .toByteArray());
      } catch (InvalidProtocolBufferException e) {
        leaks.add("undecodable alive message sent to " + n.org + "." + n.index);
        continue;
      }
      Node peer = byId.get(about);
      if (peer == null || peer.org == n.org) {
        continue;
      }
      String what =
          message.getContentCase()
              + " to "
              + n.org
              + "."
              + n.index
              + " about "
              + peer.org
              + "."
              + peer.index;
      if (envelope.hasSecretEnvelope()) {
        leaks.add(what + " with its secret envelope (internal endpoint)");
      }
      if (!peer.external) {
        leaks.add(what + ", which has no external endpoint");
      }
      if (!n.external) {
        leaks.add(what + ", though the receiver has no external endpoint");
      }
    }
  }
}
