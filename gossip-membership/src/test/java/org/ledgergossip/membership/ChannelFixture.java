package org.ledgergossip.membership;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Peers of two organisations on an in-memory network with emulated TLS, in virtual time, each with
 * a comm, a started {@link Discovery} (every peer's internal and external endpoint set, all
 * bootstrapping from the first peer started) and {@link GossipChannels}; or raw, with a comm only.
 * Every node records every message it receives.
 */
final class ChannelFixture implements AutoCloseable {

  static final Duration ALIVE = Duration.ofSeconds(1);
  static final Duration STATE_INFO = Duration.ofSeconds(1);

  static final GossipConfig CONFIG =
      GossipConfig.builder()
          .aliveTimeInterval(ALIVE)
          .aliveExpirationTimeout(Duration.ofSeconds(5))
          .reconnectInterval(Duration.ofSeconds(2))
          .pullInterval(Duration.ofSeconds(2))
          .pullPeerNum(3)
          .propagatePeerNum(3)
          .publishStateInfoInterval(STATE_INFO)
          .requestStateInfoInterval(STATE_INFO)
          .maxPropagationBurstSize(10)
          .maxPropagationBurstLatency(Duration.ofMillis(10))
          .publishCertPeriod(Duration.ofSeconds(10))
          .build();

  private static int networks;

  final VirtualScheduler time = new VirtualScheduler();
  final InMemoryNetwork network;
  final CryptoLayout layout;
  private final List<Node> nodes = new ArrayList<>();

  /** The first peer started in each organisation: its colleagues' bootstrap, the others' anchor. */
  private final Map<Integer, Node> firstOfOrg = new LinkedHashMap<>();

  /** One peer: its MSP, comm and, unless raw, its started discovery and its channels. */
  final class Node {
    final int org;
    final Msp msp;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final WireCodec codec = new WireCodec(1 << 22, meters);
    final Comm comm;
    final PkiId id;
    final Endpoint endpoint;
    final @Nullable Discovery discovery;
    final @Nullable GossipChannels channels;
    final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();

    Node(int org, int index, boolean raw, boolean external) throws Exception {
      this.org = org;
      msp = new X509MspProvider().create(layout.mspOptions(org, index, time.clock()));
      endpoint = new Endpoint(layout.peerName(org, index), 7051);
      comm =
          Comm.builder()
              .transport(
                  network.newTransport(
                      TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build()))
              .listen(endpoint)
              .msp(msp)
              .codec(codec)
              .scheduler(time)
              .meterRegistry(meters)
              .build();
      comm.start();
      id = msp.localIdentity().pkiId();
      Subscription unused = comm.subscribe(m -> true, received::add);
      if (raw) {
        discovery = null;
        channels = null;
        return;
      }
      SplittableRandom random = new SplittableRandom(org * 100L + index);
      Discovery.Builder discoveryBuilder =
          Discovery.builder()
              .comm(comm)
              .msp(msp)
              .scheduler(time)
              .config(CONFIG)
              .meterRegistry(meters)
              .random(random.split())
              .codec(codec)
              .internalEndpoint(endpoint)
              .incNum(1);
      Node first = firstOfOrg.get(org);
      discoveryBuilder.bootstrap(first == null ? List.of() : List.of(first.endpoint));
      firstOfOrg.forEach(
          (otherOrg, anchor) -> {
            if (otherOrg != org) {
              discoveryBuilder.anchorPeers(layout.mspId(otherOrg), List.of(anchor.endpoint));
            }
          });
      if (external) {
        discoveryBuilder.externalEndpoint(endpoint);
      }
      discovery = discoveryBuilder.build();
      channels =
          GossipChannels.builder()
              .comm(comm)
              .msp(msp)
              .view(discovery.view())
              .identities(discovery.identities()::get)
              .scheduler(time)
              .config(CONFIG)
              .meterRegistry(meters)
              .random(random.split())
              .codec(codec)
              .externalEndpoint(external)
              .incNum(1)
              .build();
      discovery.start();
    }

    GossipChannels channels() {
      if (channels == null) {
        throw new IllegalStateException("raw node without channels");
      }
      return channels;
    }

    MembershipView view() {
      if (discovery == null) {
        throw new IllegalStateException("raw node without discovery");
      }
      return discovery.view();
    }

    /** The joined channel {@code name}; fails if not joined. */
    GossipChannel channel(String name) {
      return channels().channel(name).orElseThrow();
    }

    String mspId() {
      return layout.mspId(org);
    }

    double count(String name, String tag, String value) {
      return meters.counter(name, tag, value).count();
    }
  }

  ChannelFixture(Path dir, int peersPerOrg) throws Exception {
    network = InMemoryNetwork.builder().name("chan-" + ++networks).scheduler(time).seed(11).build();
    layout =
        Cryptogen.generate(
            dir,
            Cryptogen.Spec.builder().orgs(2).peersPerOrg(peersPerOrg).clock(time.clock()).build());
  }

  /**
   * A peer of {@code org} running discovery; the first one started in each organisation is its
   * colleagues' bootstrap peer and the anchor peer of the organisations started after it.
   */
  Node peer(int org, int index) throws Exception {
    return peer(org, index, true);
  }

  /**
   * A peer of {@code org} running discovery, with an external endpoint or not (then invisible to
   * other organisations); the first one started in each organisation is its colleagues' bootstrap
   * peer and the anchor peer of the organisations started after it.
   */
  Node peer(int org, int index, boolean external) throws Exception {
    Node n = new Node(org, index, false, external);
    firstOfOrg.putIfAbsent(org, n);
    nodes.add(n);
    return n;
  }

  /** A peer of {@code org} with a comm only. */
  Node raw(int org, int index) throws Exception {
    Node n = new Node(org, index, true, true);
    nodes.add(n);
    return n;
  }

  /** The MSP ids of {@code orgs}. */
  Set<String> orgs(int... orgs) {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (int org : orgs) {
      out.add(layout.mspId(org));
    }
    return out;
  }

  /** Runs until every peer of {@code peers} sees all the others alive, within 10 s. */
  boolean converge(List<Node> peers) {
    return time.runUntil(
        () -> peers.stream().allMatch(n -> n.view().alive().size() >= peers.size() - 1),
        Duration.ofSeconds(10));
  }

  /** Stops {@code n} as if its process died. */
  void kill(Node n) {
    n.channels().close();
    n.discovery.stop();
    n.comm.stop();
    network.faults().kill(n.endpoint);
  }

  /** Connects {@code from} to {@code to} and runs the network for a second. */
  void connect(Node from, Node to) {
    java.util.concurrent.CompletableFuture<?> dialled = from.comm.connect(to.endpoint);
    time.advanceBy(Duration.ofSeconds(1));
    if (!dialled.isDone() || dialled.isCompletedExceptionally()) {
      throw new AssertionError(from.endpoint + " could not connect to " + to.endpoint);
    }
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      if (n.channels != null) {
        n.channels.close();
      }
      if (n.discovery != null) {
        n.discovery.stop();
      }
      n.comm.stop();
    }
    network.close();
    time.close();
  }
}
