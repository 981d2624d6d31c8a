package org.ledgergossip.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.bench.ScenarioOptions.Kind;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.Discovery;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;
import org.ledgergossip.transport.netty.NettyTransportProvider;

/**
 * N peers of one organisation, each with a Cryptogen identity, an {@link X509MspProvider} MSP, a
 * {@link Comm} and a {@link Discovery}, on the in-memory network (emulated mutual TLS; virtual time
 * on one {@link VirtualScheduler}, or real time with one system scheduler per peer and one for the
 * network) or on Netty with mutual TLS on 127.0.0.1 (one system scheduler per peer). Built the way
 * gossip-membership's {@code DiscoveryFixture} builds its peers. Not thread-safe: one thread
 * builds, drives and closes it.
 */
final class BenchNetwork implements AutoCloseable {

  static final Duration ALIVE = Duration.ofSeconds(1);
  static final Duration EXPIRATION = Duration.ofSeconds(5);

  /** The membership settings of every scenario: DiscoveryFixture's, alive interval 1 s. */
  static final GossipConfig CONFIG =
      GossipConfig.builder()
          .aliveTimeInterval(ALIVE)
          .aliveExpirationTimeout(EXPIRATION)
          .reconnectInterval(Duration.ofSeconds(2))
          .pullInterval(Duration.ofSeconds(2))
          .pullPeerNum(3)
          .propagatePeerNum(3)
          .maxPropagationBurstSize(10)
          .maxPropagationBurstLatency(Duration.ofMillis(10))
          .publishCertPeriod(Duration.ofSeconds(10))
          .build();

  private static final Duration REAL_POLL = Duration.ofMillis(5);
  private static final Duration VIRTUAL_SLICE = Duration.ofMillis(100);

  private final ScenarioOptions options;
  private final Path dir;
  private final @Nullable VirtualScheduler time;
  private final @Nullable Scheduler networkScheduler;
  private final @Nullable InMemoryNetwork network;
  private final Clock clock;
  private final CryptoLayout layout;
  private final List<BenchPeer> peers = new ArrayList<>();

  /** Peers that have held every other peer alive at least once. */
  final AtomicInteger fullPeers = new AtomicInteger();

  /** One peer. */
  final class BenchPeer {
    final int index;
    final Msp msp;
    final CountingTransport transport;
    final Scheduler scheduler;
    final Comm comm;
    final Endpoint endpoint;
    final PkiId id;
    final Discovery discovery;
    final MembershipTracker tracker;
    boolean killed;

    BenchPeer(int index, List<Endpoint> bootstrap) throws Exception {
      this.index = index;
      msp = new X509MspProvider().create(layout.mspOptions(1, index, clock));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      scheduler = time != null ? time : Scheduler.system("bench-peer-" + index);
      TransportOptions.Builder transportOptions =
          TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).meterRegistry(meters);
      if (network != null && time == null) {
        // Real time in memory: this peer's handlers run on its own thread, not the network's one.
        transportOptions.scheduler(scheduler);
      }
      Transport raw =
          network != null
              ? network.newTransport(transportOptions.build())
              : new NettyTransportProvider().create(transportOptions.build());
      transport = new CountingTransport(raw);
      WireCodec codec = new WireCodec(1 << 22, meters);
      Endpoint listenOn =
          network != null
              ? new Endpoint(layout.peerName(1, index), 7051)
              : new Endpoint("127.0.0.1", 0);
      comm =
          Comm.builder()
              .transport(transport)
              .listen(listenOn)
              .msp(msp)
              .codec(codec)
              .scheduler(scheduler)
              .meterRegistry(meters)
              .tlsBinding(true)
              .build();
      comm.start();
      endpoint = comm.listenEndpoint().orElseThrow();
      id = msp.localIdentity().pkiId();
      discovery =
          Discovery.builder()
              .comm(comm)
              .msp(msp)
              .scheduler(scheduler)
              .config(CONFIG)
              .meterRegistry(meters)
              .random(new SplittableRandom(options.seed() * 1_000_003L + index))
              .codec(codec)
              .externalEndpoint(endpoint)
              .internalEndpoint(endpoint)
              .incNum(1)
              .bootstrap(bootstrap)
              .build();
      tracker = new MembershipTracker(options.peers() - 1, fullPeers);
      Runnable unused = discovery.view().addListener(tracker);
    }
  }

  /** Generates the identities; {@link #build()} then makes the peers. */
  BenchNetwork(ScenarioOptions options) throws IOException {
    this.options = options;
    this.dir = Files.createTempDirectory("gossip-bench-" + options.scenario());
    if (options.virtualTime()) {
      time = new VirtualScheduler();
      networkScheduler = null;
      clock = time.clock();
    } else {
      time = null;
      networkScheduler =
          options.transport() == Kind.INMEMORY ? Scheduler.system("bench-inmemory-network") : null;
      clock = Clock.system();
    }
    Scheduler netScheduler = time != null ? time : networkScheduler;
    if (netScheduler != null) {
      network =
          InMemoryNetwork.builder()
              .name("bench-" + options.scenario() + "-" + System.nanoTime())
              .scheduler(netScheduler)
              .seed(options.seed())
              .build();
      if (options.delayMax().compareTo(Duration.ZERO) > 0) {
        network.faults().delay(options.delayMin(), options.delayMax());
      }
    } else {
      network = null;
    }
    layout =
        Cryptogen.generate(
            dir, Cryptogen.Spec.builder().peersPerOrg(options.peers()).clock(clock).build());
  }

  /** Makes every peer: peer 0 bootstraps from nobody, the others from peer 0. Nothing started. */
  void build() throws Exception {
    peers.add(new BenchPeer(0, List.of()));
    List<Endpoint> bootstrap = List.of(peers.get(0).endpoint);
    for (int i = 1; i < options.peers(); i++) {
      peers.add(new BenchPeer(i, bootstrap));
    }
  }

  /** Starts every discovery, peer 0 first, all at once. */
  void startAll() {
    for (BenchPeer p : peers) {
      p.discovery.start();
    }
  }

  List<BenchPeer> peers() {
    return peers;
  }

  /** The time on the peers' clock. */
  Instant now() {
    return clock.instant();
  }

  /** The sum of every live peer's sent frames and bytes, and received frames and bytes. */
  long[] traffic() {
    long[] sum = new long[4];
    for (BenchPeer p : peers) {
      CountingTransport.Traffic t = p.transport.traffic;
      sum[0] += t.sentFrames.sum();
      sum[1] += t.sentBytes.sum();
      sum[2] += t.receivedFrames.sum();
      sum[3] += t.receivedBytes.sum();
    }
    return sum;
  }

  /**
   * Runs (virtual time) or waits (real time) until {@code condition} holds or {@code limit} has
   * passed on the peers' clock.
   *
   * @return whether the condition holds
   */
  boolean runUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
    Instant end = now().plus(limit);
    if (time != null) {
      // In slices, so that no single call runs more than the scheduler's task guard allows.
      while (!condition.getAsBoolean()) {
        Duration left = Duration.between(now(), end);
        if (left.isNegative() || left.isZero()) {
          return false;
        }
        if (time.runUntil(condition, left.compareTo(VIRTUAL_SLICE) < 0 ? left : VIRTUAL_SLICE)) {
          return true;
        }
      }
      return true;
    }
    while (!condition.getAsBoolean()) {
      if (!now().isBefore(end)) {
        return condition.getAsBoolean();
      }
      TimeUnit.NANOSECONDS.sleep(REAL_POLL.toNanos());
    }
    return true;
  }

  /** Lets {@code duration} pass on the peers' clock. */
  void runFor(Duration duration) throws InterruptedException {
    boolean unused = runUntil(() -> false, duration);
  }

  /**
   * Cuts {@code p} off by a partition of the in-memory network: its connections stay open, every
   * frame to or from it is lost, as behind a failed link or a frozen host.
   */
  void silence(BenchPeer p) {
    if (network == null) {
      throw new IllegalStateException("only the in-memory network can silence a peer");
    }
    network.faults().partition(List.of(Set.of(p.endpoint)));
  }

  /** Stops {@code p} as if its process died: no goodbye, connections refused from now on. */
  void kill(BenchPeer p) {
    p.killed = true;
    p.discovery.stop();
    p.comm.stop();
    if (network != null) {
      network.faults().kill(p.endpoint);
    } else {
      p.transport.close();
    }
  }

  @Override
  public void close() {
    for (BenchPeer p : peers) {
      p.discovery.stop();
      p.comm.stop();
    }
    for (BenchPeer p : peers) {
      p.transport.close();
      if (p.scheduler != time) {
        p.scheduler.close();
      }
      p.msp.close();
    }
    if (network != null) {
      network.close();
    }
    if (networkScheduler != null) {
      networkScheduler.close();
    }
    if (time != null) {
      time.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
