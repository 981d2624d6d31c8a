package org.ledgergossip.statetransfer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.Discovery;
import org.ledgergossip.membership.GossipChannels;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Peers of one organisation on an in-memory network with emulated TLS, in virtual time (set-up
 * after membership's channel fixture): each with a comm, a started discovery bootstrapping from the
 * first peer, the channel {@value #CHANNEL} joined, and a started {@link StateTransfer} over a
 * {@link MemoryLedger}; or raw, with a comm only, recording what it receives.
 */
final class StateFixture implements AutoCloseable {

  static final String CHANNEL = "mychannel";

  /** Blocks whose first entry starts with this are refused by {@link #VALIDATOR}. */
  static final String FORGED = "forged";

  static final BlockValidator VALIDATOR =
      (channel, block) -> {
        if (!block.data().isEmpty()
            && new String(block.data().get(0).toByteArray(), StandardCharsets.UTF_8)
                .startsWith(FORGED)) {
          throw new InvalidBlockException("block " + block.number() + " is forged");
        }
      };

  static final GossipConfig CONFIG =
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
          .stateEnabled(true)
          .stateCheckInterval(Duration.ofSeconds(1))
          .stateResponseTimeout(Duration.ofSeconds(1))
          .stateBatchSize(10)
          .stateBlockBufferSize(20)
          .stateMaxRetries(3)
          .build();

  private static int networks;

  final GossipConfig config;
  final VirtualScheduler time = new VirtualScheduler();
  final InMemoryNetwork network;
  final CryptoLayout layout;
  private final List<Node> nodes = new ArrayList<>();
  private @Nullable Node first;

  /** One peer: MSP, comm and, unless raw, discovery, channel and state transfer. */
  final class Node {
    final int index;
    final Msp msp;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final WireCodec codec = new WireCodec(1 << 22, meters);
    final Transport transport;
    final Comm comm;
    final PkiId id;
    final Endpoint endpoint;
    final MemoryLedger ledger;
    final @Nullable Discovery discovery;
    final @Nullable GossipChannels channels;
    final @Nullable StateTransfer state;
    final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();

    Node(int index, boolean raw, MemoryLedger ledger, long incNum) throws Exception {
      this.index = index;
      this.ledger = ledger;
      msp = new X509MspProvider().create(layout.mspOptions(1, index, time.clock()));
      endpoint = new Endpoint(layout.peerName(1, index), 7051);
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      comm =
          Comm.builder()
              .transport(transport)
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
        state = null;
        return;
      }
      SplittableRandom random = new SplittableRandom(index * 1000L + incNum);
      Discovery.Builder builder =
          Discovery.builder()
              .comm(comm)
              .msp(msp)
              .scheduler(time)
              .config(config)
              .meterRegistry(meters)
              .random(random.split())
              .codec(codec)
              .internalEndpoint(endpoint)
              .externalEndpoint(endpoint)
              .incNum(incNum)
              .bootstrap(first == null || first == this ? List.of() : List.of(first.endpoint));
      discovery = builder.build();
      channels =
          GossipChannels.builder()
              .comm(comm)
              .msp(msp)
              .view(discovery.view())
              .scheduler(time)
              .config(config)
              .meterRegistry(meters)
              .random(random.split())
              .codec(codec)
              .externalEndpoint(true)
              .incNum(incNum)
              .build();
      discovery.start();
      StateChannel channel =
          new GossipChannelAdapter(
              channels.join(CHANNEL, Set.of(layout.mspId(1))), msp.localIdentity().mspId());
      state =
          StateTransfer.builder()
              .channel(channel)
              .ledger(ledger)
              .validator(validator)
              .scheduler(time)
              .config(config)
              .meterRegistry(meters)
              .random(random.split())
              .codec(codec)
              .build();
      state.start();
    }

    StateTransfer state() {
      if (state == null) {
        throw new IllegalStateException("raw node");
      }
      return state;
    }

    double count(String name, String tag, String value) {
      return meters.counter(name, "channel", CHANNEL, tag, value).count();
    }

    double received(String via) {
      return count(StateTransfer.RECEIVED_COUNTER, "via", via);
    }

    double dropped(String reason) {
      return count(StateTransfer.DROPPED_COUNTER, "reason", reason);
    }
  }

  StateFixture(Path dir, int peers) throws Exception {
    this(dir, peers, CONFIG);
  }

  StateFixture(Path dir, int peers, GossipConfig config) throws Exception {
    this.config = config;
    network = InMemoryNetwork.builder().name("state-" + ++networks).scheduler(time).seed(5).build();
    layout =
        Cryptogen.generate(
            dir, Cryptogen.Spec.builder().orgs(1).peersPerOrg(peers).clock(time.clock()).build());
  }

  /** Peer {@code index} (the first one started is every later one's bootstrap peer). */
  /** The validator of the nodes made from now on; {@link #VALIDATOR} unless a test sets another. */
  BlockValidator validator = VALIDATOR;

  Node peer(int index) throws Exception {
    Node n = new Node(index, false, new MemoryLedger(time.clock()::nanoTime), 1);
    if (first == null) {
      first = n;
    }
    nodes.add(n);
    return n;
  }

  /** Peer {@code index} starting with {@code ledger} (e.g. filled by {@link #ledger}). */
  Node peer(int index, MemoryLedger ledger) throws Exception {
    Node n = new Node(index, false, ledger, 1);
    if (first == null) {
      first = n;
    }
    nodes.add(n);
    return n;
  }

  /** A ledger holding blocks {@code 0..height-1}, those of {@code forged} numbers forged. */
  static MemoryLedger ledger(long height, long... forged) {
    MemoryLedger ledger = new MemoryLedger();
    for (long n = 0; n < height; n++) {
      boolean bad = false;
      for (long f : forged) {
        bad |= f == n;
      }
      ledger.append(block(n, bad));
    }
    return ledger;
  }

  /** A peer with a comm only, recording what it receives. */
  Node raw(int index) throws Exception {
    Node n = new Node(index, true, new MemoryLedger(), 1);
    nodes.add(n);
    return n;
  }

  /** {@code dead} started again with its ledger, as after a process restart. */
  Node restart(Node dead, long incNum) throws Exception {
    Node n = new Node(dead.index, false, dead.ledger, incNum);
    nodes.add(n);
    return n;
  }

  /** Stops {@code n} as if its process died (its ledger stays). */
  void kill(Node n) {
    stop(n);
    network.faults().kill(n.endpoint);
    n.transport.close();
  }

  private static void stop(Node n) {
    if (n.state != null) {
      n.state.close();
    }
    if (n.channels != null) {
      n.channels.close();
    }
    if (n.discovery != null) {
      n.discovery.stop();
    }
    n.comm.stop();
  }

  /**
   * Runs until every peer of {@code peers} sees every other one as a channel member, within 20 s.
   */
  boolean converge(List<Node> peers) {
    return time.runUntil(
        () ->
            peers.stream()
                .allMatch(
                    n ->
                        n.channels != null
                            && n.channels.channel(CHANNEL).orElseThrow().members().size()
                                >= peers.size() - 1),
        Duration.ofSeconds(20));
  }

  /** The genuine chain, grown on demand. */
  private static final List<Block> CHAIN = new ArrayList<>();

  /**
   * Block {@code n} of the genuine hash chain; if {@code forged}, one with the same number and
   * previous hash but forged content (refused by {@link #VALIDATOR}).
   */
  static synchronized Block block(long n, boolean forged) {
    while (CHAIN.size() <= n) {
      int i = CHAIN.size();
      Bytes previous = i == 0 ? Bytes.EMPTY : BlockFormat.headerHash(CHAIN.get(i - 1));
      CHAIN.add(BlockFormat.newBlock(i, previous, List.of(utf8("tx-" + i))));
    }
    Block genuine = CHAIN.get((int) n);
    return forged
        ? BlockFormat.newBlock(n, genuine.previousHash(), List.of(utf8(FORGED + "-" + n)))
        : genuine;
  }

  /** Block {@code n} with valid content whose previous hash is not block {@code n - 1}'s. */
  static Block unchained(long n) {
    return BlockFormat.newBlock(n, Bytes.copyOf(new byte[32]), List.of(utf8("tx-" + n)));
  }

  private static Bytes utf8(String s) {
    return Bytes.copyOf(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The leader receives blocks {@code from..to-1} from the ordering service, one every 10 ms. */
  void order(Node leader, long from, long to) throws InterruptedException {
    for (long n = from; n < to; n++) {
      if (!leader.state().deliverFromOrderer(block(n, false), Duration.ZERO)) {
        throw new AssertionError("the leader refused block " + n);
      }
      time.advanceBy(Duration.ofMillis(10));
    }
  }

  /** Runs until every one of {@code peers} has height {@code height}, within {@code limit}. */
  boolean reach(List<Node> peers, long height, Duration limit) {
    return time.runUntil(() -> peers.stream().allMatch(n -> n.ledger.height() >= height), limit);
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      stop(n);
    }
    network.close();
    time.close();
  }
}
