package org.ledgergossip.membership;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
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
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Peers of one organisation on an in-memory network with emulated TLS, in virtual time, each with a
 * comm and (optionally) a started {@link Discovery}.
 */
final class DiscoveryFixture implements AutoCloseable {

  static final Duration ALIVE = Duration.ofSeconds(1);
  static final Duration EXPIRATION = Duration.ofSeconds(5);
  static final Duration CHECK = EXPIRATION.dividedBy(10);

  static final Duration PULL = Duration.ofSeconds(2);
  static final GossipConfig CONFIG = config(3);

  /** The test configuration, pushing each alive message to {@code propagatePeerNum} peers. */
  static GossipConfig config(int propagatePeerNum) {
    return GossipConfig.builder()
        .aliveTimeInterval(ALIVE)
        .aliveExpirationTimeout(EXPIRATION)
        .reconnectInterval(Duration.ofSeconds(2))
        .pullInterval(PULL)
        .pullPeerNum(3)
        .propagatePeerNum(propagatePeerNum)
        .maxPropagationBurstSize(10)
        .maxPropagationBurstLatency(Duration.ofMillis(10))
        .publishCertPeriod(Duration.ofSeconds(10))
        .build();
  }

  private static int networks;

  final VirtualScheduler time = new VirtualScheduler();
  final InMemoryNetwork network;
  final CryptoLayout layout;
  final GossipConfig config;
  private final List<Node> nodes = new ArrayList<>();

  /** One peer: its MSP, comm and, unless raw, its started discovery. */
  final class Node {
    final Msp msp;
    final Transport transport;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final WireCodec codec = new WireCodec(1 << 22, meters);
    final Comm comm;
    final PkiId id;
    final Endpoint endpoint;
    final @Nullable Discovery discovery;
    final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();

    Node(int index, List<Endpoint> bootstrap, boolean withDiscovery) throws Exception {
      this(index, bootstrap, withDiscovery, UnaryOperator.identity(), true);
    }

    Node(
        int index,
        List<Endpoint> bootstrap,
        boolean withDiscovery,
        UnaryOperator<Msp> decorate,
        boolean listen)
        throws Exception {
      msp = decorate.apply(new X509MspProvider().create(layout.mspOptions(1, index, time.clock())));
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      endpoint = new Endpoint(layout.peerName(1, index), 7051);
      Comm.Builder commBuilder =
          Comm.builder()
              .transport(transport)
              .msp(msp)
              .codec(codec)
              .scheduler(time)
              .meterRegistry(meters)
              .tlsBinding(true);
      comm = (listen ? commBuilder.listen(endpoint) : commBuilder).build();
      comm.start();
      id = msp.localIdentity().pkiId();
      if (withDiscovery) {
        discovery =
            Discovery.builder()
                .comm(comm)
                .msp(msp)
                .scheduler(time)
                .config(config)
                .meterRegistry(meters)
                .random(new SplittableRandom(index))
                .codec(codec)
                .externalEndpoint(endpoint)
                .internalEndpoint(endpoint)
                .incNum(1)
                .bootstrap(bootstrap)
                .build();
        discovery.start();
      } else {
        discovery = null;
        Subscription unused = comm.subscribe(m -> true, received::add);
      }
    }

    Discovery discovery() {
      if (discovery == null) {
        throw new IllegalStateException("raw node without discovery");
      }
      return discovery;
    }

    MembershipView view() {
      return discovery().view();
    }

    double count(String name) {
      return meters.counter(name).count();
    }

    double count(String name, String tag, String value) {
      return meters.counter(name, tag, value).count();
    }
  }

  DiscoveryFixture(Path dir, int peers) throws Exception {
    this(dir, peers, CONFIG);
  }

  DiscoveryFixture(Path dir, int peers, GossipConfig config) throws Exception {
    this.config = config;
    network = InMemoryNetwork.builder().name("disc-" + ++networks).scheduler(time).seed(7).build();
    layout =
        Cryptogen.generate(
            dir, Cryptogen.Spec.builder().peersPerOrg(peers).clock(time.clock()).build());
  }

  /** A peer running discovery, bootstrapping from {@code bootstrap}. */
  Node peer(int index, List<Endpoint> bootstrap) throws Exception {
    Node n = new Node(index, bootstrap, true);
    nodes.add(n);
    return n;
  }

  /**
   * A peer running discovery whose MSP is {@code decorate}d (e.g. to sign as an identity issued for
   * the test), and which accepts no connection unless {@code listen} (a dial-only peer).
   */
  Node peer(int index, List<Endpoint> bootstrap, UnaryOperator<Msp> decorate, boolean listen)
      throws Exception {
    Node n = new Node(index, bootstrap, true, decorate, listen);
    nodes.add(n);
    return n;
  }

  /** A peer with a comm only, recording everything it receives. */
  Node raw(int index) throws Exception {
    Node n = new Node(index, List.of(), false);
    nodes.add(n);
    return n;
  }

  /** Stops {@code n} as if its process died. */
  void kill(Node n) {
    n.discovery().stop();
    n.comm.stop();
    network.faults().kill(n.endpoint);
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      if (n.discovery != null) {
        n.discovery.stop();
      }
      n.comm.stop();
    }
    network.close();
    time.close();
  }
}
