package org.ledgergossip.membership;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
 * Peers of one or more organisations on an in-memory network with emulated TLS, in virtual time,
 * each with a comm and (optionally) a started {@link Discovery}.
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
    final int org;
    final int index;
    final List<Endpoint> bootstrap;
    final boolean external;
    final Consumer<Discovery.Builder> options;
    final UnaryOperator<Msp> decorate;
    final boolean listen;
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
      this(1, index, bootstrap, withDiscovery, true, 1, b -> {}, UnaryOperator.identity(), true);
    }

    /**
     * Peer {@code index} of organisation {@code org} (1-based), listening on its internal endpoint
     * unless not {@code listen} (a dial-only peer); the same endpoint is its external one if {@code
     * external}, else it has none; its MSP is {@code decorate}d (e.g. to sign as an identity issued
     * for the test).
     */
    Node(
        int org,
        int index,
        List<Endpoint> bootstrap,
        boolean withDiscovery,
        boolean external,
        long incNum,
        Consumer<Discovery.Builder> options,
        UnaryOperator<Msp> decorate,
        boolean listen)
        throws Exception {
      this.org = org;
      this.index = index;
      this.bootstrap = List.copyOf(bootstrap);
      this.external = external;
      this.options = options;
      this.decorate = decorate;
      this.listen = listen;
      msp =
          decorate.apply(new X509MspProvider().create(layout.mspOptions(org, index, time.clock())));
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      endpoint = new Endpoint(layout.peerName(org, index), 7051);
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
        Discovery.Builder builder =
            Discovery.builder()
                .comm(comm)
                .msp(msp)
                .scheduler(time)
                .config(config)
                .meterRegistry(meters)
                .random(new SplittableRandom((org - 1) * 1000L + index + (incNum - 1) * 100_000L))
                .codec(codec)
                .internalEndpoint(endpoint)
                .incNum(incNum)
                .bootstrap(bootstrap);
        if (external) {
          builder.externalEndpoint(endpoint);
        }
        options.accept(builder);
        discovery = builder.build();
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
    this(dir, 1, peers, config);
  }

  /** {@code orgs} organisations (Org1MSP, Org2MSP, ...) of {@code peersPerOrg} peers each. */
  DiscoveryFixture(Path dir, int orgs, int peersPerOrg, GossipConfig config) throws Exception {
    this.config = config;
    network = InMemoryNetwork.builder().name("disc-" + ++networks).scheduler(time).seed(7).build();
    layout =
        Cryptogen.generate(
            dir,
            Cryptogen.Spec.builder()
                .orgs(orgs)
                .peersPerOrg(peersPerOrg)
                .clock(time.clock())
                .build());
  }

  /** A peer running discovery, bootstrapping from {@code bootstrap}. */
  Node peer(int index, List<Endpoint> bootstrap) throws Exception {
    Node n = new Node(index, bootstrap, true);
    nodes.add(n);
    return n;
  }

  /**
   * Peer {@code index} of organisation {@code org} running discovery (inc_num 1), with its listen
   * endpoint as internal endpoint and, if {@code external}, as external one; {@code options} may
   * set more of the builder (anchor peers, metadata...).
   */
  Node peer(
      int org,
      int index,
      List<Endpoint> bootstrap,
      boolean external,
      Consumer<Discovery.Builder> options)
      throws Exception {
    Node n =
        new Node(org, index, bootstrap, true, external, 1, options, UnaryOperator.identity(), true);
    nodes.add(n);
    return n;
  }

  /**
   * The same peer as the killed {@code dead} (same identity, endpoints, bootstrap and options)
   * started again with {@code incNum}, as after a process restart.
   */
  Node restart(Node dead, long incNum) throws Exception {
    Node n =
        new Node(
            dead.org,
            dead.index,
            dead.bootstrap,
            true,
            dead.external,
            incNum,
            dead.options,
            dead.decorate,
            dead.listen);
    nodes.add(n);
    return n;
  }

  /**
   * A peer running discovery whose MSP is {@code decorate}d (e.g. to sign as an identity issued for
   * the test), and which accepts no connection unless {@code listen} (a dial-only peer).
   */
  Node peer(int index, List<Endpoint> bootstrap, UnaryOperator<Msp> decorate, boolean listen)
      throws Exception {
    Node n = new Node(1, index, bootstrap, true, true, 1, b -> {}, decorate, listen);
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
    n.transport.close();
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
