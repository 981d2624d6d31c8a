package org.ledgergossip.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.LeadershipEvent;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Nodes of one or more organisations on an in-memory network with emulated mutual TLS, in virtual
 * time: each a {@link GossipNode} with a Cryptogen identity, the {@code file} ledger in its own
 * folder, the channel {@value #CHANNEL} joined by every organisation, and a {@link FakeOrderer}
 * block source. Peer 0 of each organisation bootstraps its organisation's others and is the anchor
 * peer of its organisation for the rest. Not thread-safe: drive it from the test thread.
 */
final class NodeFixture implements AutoCloseable {

  static final String CHANNEL = "mychannel";

  /** Fast timers: alive 1 s, election 2 s threshold / 1 s duration, state checks 1 s. */
  static final GossipConfig FAST =
      GossipConfig.builder()
          .aliveTimeInterval(Duration.ofSeconds(1))
          .aliveExpirationTimeout(Duration.ofSeconds(5))
          .reconnectInterval(Duration.ofSeconds(2))
          .pullInterval(Duration.ofSeconds(2))
          .pullPeerNum(3)
          .propagatePeerNum(3)
          .publishStateInfoInterval(Duration.ofSeconds(1))
          .requestStateInfoInterval(Duration.ofSeconds(1))
          .maxPropagationBurstSize(10)
          .maxPropagationBurstLatency(Duration.ofMillis(10))
          .publishCertPeriod(Duration.ofSeconds(10))
          .stateCheckInterval(Duration.ofSeconds(1))
          .stateResponseTimeout(Duration.ofSeconds(1))
          .stateBatchSize(10)
          .stateBlockBufferSize(40)
          .electionStartupGracePeriod(Duration.ofSeconds(3))
          .electionMembershipSampleInterval(Duration.ofMillis(500))
          .electionLeaderAliveThreshold(Duration.ofSeconds(2))
          .electionLeaderElectionDuration(Duration.ofSeconds(1))
          .build();

  private static int networks;

  final VirtualScheduler time = new VirtualScheduler();
  final InMemoryNetwork network;
  final CryptoLayout layout;
  final Msp ordererMsp;
  final FakeOrderer orderer;
  private final Path dir;
  private final List<Peer> peers = new ArrayList<>();

  /** One peer: its node and what its listeners saw. */
  final class Peer {
    final int org;
    final int index;
    final String name;
    final Msp msp;
    final Transport transport;
    final GossipNode node;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<Long> committed = new CopyOnWriteArrayList<>();
    final List<LeadershipEvent> leadership = new CopyOnWriteArrayList<>();

    Peer(int org, int index, GossipConfig config, long incNum, Consumer<GossipNode.Builder> tweak)
        throws Exception {
      this.org = org;
      this.index = index;
      this.name = layout.peerName(org, index);
      msp = new X509MspProvider().create(layout.mspOptions(org, index, time.clock()));
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      Endpoint self = endpoint(org, index);
      GossipConfig.Builder c = config.toBuilder().externalEndpoint(self);
      if (index != 0) {
        c.bootstrap(List.of(endpoint(org, 0)));
      }
      Set<String> orgs = new HashSet<>();
      for (int o = 1; o <= layout.spec().orgs(); o++) {
        orgs.add(layout.mspId(o));
      }
      GossipNode.Builder b =
          GossipNode.builder()
              .config(c.build())
              .listen(self)
              .msp(msp)
              .transport(transport)
              .scheduler(time)
              .meterRegistry(meters)
              .seed(org * 1000L + index)
              .incNum(incNum)
              .ledger("file", Map.of("file.fsync", "never"))
              .ledgerDirectory(dir.resolve(name))
              .blockSource(orderer.source(name))
              .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
              .ordererBackpressure(Duration.ZERO)
              .channel(CHANNEL, orgs);
      for (int o = 1; o <= layout.spec().orgs(); o++) {
        if (o != org) {
          b.anchorPeers(layout.mspId(o), List.of(endpoint(o, 0)));
        }
      }
      tweak.accept(b);
      node = b.build();
      Runnable unused =
          node.addListener(
              new NodeListener() {
                @Override
                public void onCommit(String channel, Block block) {
                  committed.add(block.number());
                }

                @Override
                public void onLeadership(LeadershipEvent event) {
                  leadership.add(event);
                }
              });
      node.start();
    }

    long height() {
      return node.height(CHANNEL);
    }

    boolean isLeader() {
      return node.isRunning() && node.isLeader(CHANNEL);
    }
  }

  NodeFixture(Path dir, int orgs, int peersPerOrg) throws Exception {
    this.dir = dir;
    network = InMemoryNetwork.builder().name("node-" + ++networks).scheduler(time).seed(3).build();
    layout =
        Cryptogen.generate(
            dir.resolve("crypto"),
            Cryptogen.Spec.builder()
                .orgs(orgs)
                .peersPerOrg(peersPerOrg)
                .clock(time.clock())
                .build());
    ordererMsp =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    layout.ordererDir(),
                    layout.trustedOrgs(),
                    time.clock()));
    orderer = new FakeOrderer(CHANNEL, ordererMsp, time);
  }

  Endpoint endpoint(int org, int index) {
    return new Endpoint(layout.peerName(org, index), 7051);
  }

  /** Starts peer {@code index} of {@code org} with {@code config}. */
  Peer start(int org, int index, GossipConfig config) throws Exception {
    return start(org, index, config, 1, b -> {});
  }

  Peer start(
      int org, int index, GossipConfig config, long incNum, Consumer<GossipNode.Builder> tweak)
      throws Exception {
    Peer p = new Peer(org, index, config, incNum, tweak);
    peers.add(p);
    return p;
  }

  /** Stops {@code p} as if its process died (its ledger folder stays). */
  void kill(Peer p) {
    p.node.close();
    network.faults().kill(endpoint(p.org, p.index));
    p.transport.close();
    p.msp.close();
  }

  /** {@code dead} started again on its ledger folder with a new incarnation. */
  Peer restart(Peer dead, GossipConfig config, long incNum) throws Exception {
    return start(dead.org, dead.index, config, incNum, b -> {});
  }

  /** The running peers that lead. */
  List<Peer> leaders(List<Peer> among) {
    return among.stream().filter(Peer::isLeader).toList();
  }

  boolean runUntil(java.util.function.BooleanSupplier condition, Duration limit) {
    return time.runUntil(condition, limit);
  }

  /** Every one of {@code among} has committed blocks {@code 0..height-1}. */
  static boolean allAt(List<Peer> among, long height) {
    return among.stream().allMatch(p -> p.height() >= height);
  }

  @Override
  public void close() {
    for (Peer p : peers) {
      p.node.close();
    }
    time.runUntilIdle();
    for (Peer p : peers) {
      p.transport.close();
      p.msp.close();
    }
    ordererMsp.close();
    network.close();
    time.close();
  }
}
