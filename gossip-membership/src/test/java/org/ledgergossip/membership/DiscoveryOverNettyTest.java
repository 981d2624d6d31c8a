package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.netty.NettyTransportProvider;

/**
 * {@link Discovery} over the Netty transport with real mutual TLS on 127.0.0.1 (ephemeral ports),
 * in real time with short timers: alive messages every 200 ms, dead after 1 s, pull and reconnect
 * every 500 ms. Waits are bounded with Awaitility; no assertion on wall-clock speed.
 */
@Tag("netty")
class DiscoveryOverNettyTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final GossipConfig CONFIG =
      GossipConfig.builder()
          .aliveTimeInterval(Duration.ofMillis(200))
          .aliveExpirationTimeout(Duration.ofSeconds(1))
          .reconnectInterval(Duration.ofMillis(500))
          .pullInterval(Duration.ofMillis(500))
          .digestWaitTime(Duration.ofMillis(100))
          .requestWaitTime(Duration.ofMillis(150))
          .responseWaitTime(Duration.ofMillis(200))
          .pullPeerNum(3)
          .propagatePeerNum(3)
          .maxPropagationBurstSize(10)
          .maxPropagationBurstLatency(Duration.ofMillis(10))
          .publishCertPeriod(Duration.ofSeconds(30))
          .build();

  @TempDir Path dir;

  private CryptoLayout layout;
  private final List<Peer> peers = new ArrayList<>();

  /** One peer on its own scheduler thread, transport and comm; discovery unless raw. */
  private final class Peer implements AutoCloseable {
    final Msp msp;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final WireCodec codec = new WireCodec(1 << 22, meters);
    final Scheduler scheduler;
    final Transport transport;
    final Comm comm;
    final Endpoint endpoint;
    final PkiId id;
    final @Nullable Discovery discovery;

    Peer(int index, List<Endpoint> bootstrap, boolean withDiscovery) throws Exception {
      msp = new X509MspProvider().create(layout.mspOptions(1, index, Clock.system()));
      scheduler = Scheduler.system("netty-discovery-" + index);
      transport =
          new NettyTransportProvider()
              .create(
                  TransportOptions.builder()
                      .tls(msp.tlsCredentials().orElseThrow())
                      .meterRegistry(meters)
                      .dialTimeout(Duration.ofSeconds(5))
                      .build());
      comm =
          Comm.builder()
              .transport(transport)
              .listen(new Endpoint("127.0.0.1", 0))
              .msp(msp)
              .codec(codec)
              .scheduler(scheduler)
              .meterRegistry(meters)
              .tlsBinding(true)
              .build();
      comm.start();
      endpoint = comm.listenEndpoint().orElseThrow();
      id = msp.localIdentity().pkiId();
      if (withDiscovery) {
        discovery =
            Discovery.builder()
                .comm(comm)
                .msp(msp)
                .scheduler(scheduler)
                .config(CONFIG)
                .meterRegistry(meters)
                .random(new SplittableRandom(index))
                .codec(codec)
                .externalEndpoint(endpoint)
                .internalEndpoint(endpoint)
                .incNum(System.currentTimeMillis())
                .bootstrap(bootstrap)
                .build();
        discovery.start();
      } else {
        discovery = null;
      }
    }

    MembershipView view() {
      if (discovery == null) {
        throw new IllegalStateException("raw peer");
      }
      return discovery.view();
    }

    @Override
    public void close() {
      if (discovery != null) {
        discovery.stop();
      }
      comm.stop();
      transport.close();
      scheduler.close();
    }
  }

  @BeforeEach
  void generate() throws Exception {
    layout =
        Cryptogen.generate(
            dir, Cryptogen.Spec.builder().peersPerOrg(6).clock(Clock.system()).build());
  }

  @AfterEach
  void closeAll() {
    peers.forEach(Peer::close);
  }

  @Test
  void fourPeersBootstrappingFromOneConvergeOverMutualTls() throws Exception {
    List<Peer> nodes = startFour();
    await().atMost(WAIT).pollInterval(20, TimeUnit.MILLISECONDS).until(() -> everySees(nodes, 3));
    for (Peer p : nodes) {
      assertThat(p.view().alive())
          .extracting(Member::pkiId)
          .doesNotContain(p.id)
          .containsExactlyInAnyOrderElementsOf(
              nodes.stream().filter(o -> o != p).map(o -> o.id).toList());
      assertThat(p.view().alive()).allSatisfy(m -> assertThat(m.internalEndpoint()).isPresent());
    }
  }

  @Test
  void aKilledPeerIsMarkedDeadByTheOthersWhoStayAliveToEachOther() throws Exception {
    List<Peer> nodes = startFour();
    await().atMost(WAIT).pollInterval(20, TimeUnit.MILLISECONDS).until(() -> everySees(nodes, 3));
    Peer victim = nodes.get(3);
    List<Peer> others = nodes.subList(0, 3);

    victim.close();
    peers.remove(victim);

    await()
        .atMost(WAIT)
        .pollInterval(20, TimeUnit.MILLISECONDS)
        .until(() -> others.stream().noneMatch(p -> p.view().isAlive(victim.id)));
    for (Peer p : others) {
      assertThat(p.view().dead()).extracting(Member::pkiId).containsExactly(victim.id);
      assertThat(p.view().alive()).hasSize(2);
    }
  }

  @Test
  void aMembershipRequestCarryingAnotherPeersAliveMessageIsRejected() throws Exception {
    Peer target = start(new Peer(0, List.of(), true));
    Peer attacker = start(new Peer(4, List.of(), false));
    Msp victim = new X509MspProvider().create(layout.mspOptions(1, 5, Clock.system()));
    attacker.comm.connect(target.endpoint).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .pollInterval(20, TimeUnit.MILLISECONDS)
        .until(() -> target.comm.connection(attacker.id).isPresent());

    Endpoint victimEndpoint = new Endpoint("127.0.0.1", 1);
    attacker.comm.send(
        attacker.codec.encode(
            MembershipExchange.request(
                7,
                aliveOf(victim, victimEndpoint, Optional.of(victim.localIdentity().serialized())))),
        target.id);

    await()
        .atMost(WAIT)
        .pollInterval(20, TimeUnit.MILLISECONDS)
        .until(() -> target.meters.counter(Discovery.SPOOFED_COUNTER).count() == 1.0);
    assertThat(target.view().member(victim.localIdentity().pkiId())).isEmpty();
    assertThat(target.view().member(attacker.id)).isEmpty();
  }

  private List<Peer> startFour() throws Exception {
    List<Peer> nodes = new ArrayList<>();
    nodes.add(start(new Peer(0, List.of(), true)));
    for (int i = 1; i < 4; i++) {
      nodes.add(start(new Peer(i, List.of(nodes.get(0).endpoint), true)));
    }
    return nodes;
  }

  private Peer start(Peer p) {
    peers.add(p);
    return p;
  }

  private static boolean everySees(List<Peer> nodes, int alive) {
    return nodes.stream().allMatch(p -> p.view().alive().size() == alive);
  }

  private static Envelope aliveOf(Msp msp, Endpoint endpoint, Optional<Bytes> identity) {
    return new AliveMessages(msp, new SimpleMeterRegistry())
        .sign(
            new AliveRecord(
                msp.localIdentity().pkiId(),
                Optional.of(endpoint),
                Optional.of(endpoint),
                Bytes.EMPTY,
                new PeerTime(1, 1),
                identity));
  }
}
