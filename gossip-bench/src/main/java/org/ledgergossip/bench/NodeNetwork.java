package org.ledgergossip.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.LeadershipEvent;
import org.ledgergossip.api.Providers;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.bench.ScenarioOptions.Kind;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.orderer.BroadcastStatus;
import org.ledgergossip.orderer.OrdererEmulator;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Whole peers ({@link org.ledgergossip.node.GossipNode}) of one organisation and an {@link
 * OrdererEmulator} that cuts their channel's blocks, as gossip-node's {@code NodeFixture} builds
 * them: Cryptogen identities, the {@code file} ledger (fsync off) in a folder per peer, the channel
 * {@value #CHANNEL}, and per peer the emulator's {@code emulator} block source, its receipts
 * stamped in {@link #receipts}. Transports and time as in {@link BenchNetwork}: in memory in
 * virtual time (one {@link VirtualScheduler} runs network, nodes and emulator), in memory in real
 * time (a thread for the network, one per node, one for the emulator), or Netty with mutual TLS on
 * 127.0.0.1 (ports picked free before the start). Blocks are cut by {@link OrdererEmulator#submit}
 * with a batch size of one envelope, so each submission is one block of {@code --block-size}
 * payload bytes. Not thread-safe: one thread builds, drives and closes it.
 */
final class NodeNetwork implements AutoCloseable {

  static final String CHANNEL = "mychannel";

  /**
   * gossip-node's {@code NodeFixture.FAST}: alive 1 s, expiry 5 s, pull and reconnect 2 s, state
   * info and state checks 1 s, election grace 3 s, leader alive threshold 2 s.
   */
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

  /**
   * {@link #FAST} with Fabric's four election timers divided by ten, the "short settings" of issue
   * 7: leader alive threshold 1 s (declarations every 500 ms), election duration 500 ms, startup
   * grace period 1.5 s, membership sample interval 100 ms (Fabric's own election tests use 100 ms).
   * Membership and state timers stay as in {@link #FAST} (alive 1 s, expiry 5 s).
   */
  static final GossipConfig SHORT =
      FAST.toBuilder()
          .electionStartupGracePeriod(Duration.ofMillis(1500))
          .electionMembershipSampleInterval(Duration.ofMillis(100))
          .electionLeaderAliveThreshold(Duration.ofSeconds(1))
          .electionLeaderElectionDuration(Duration.ofMillis(500))
          .build();

  private static final Duration REAL_POLL = Duration.ofMillis(5);
  private static final Duration VIRTUAL_SLICE = Duration.ofMillis(100);
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** A peer's leadership change and when (peers' clock, nanoseconds). */
  record LeadershipStamp(int peer, LeadershipEvent event, long nanos) {}

  /** How a peer's leadership is decided. */
  enum Role {
    /** {@code orgLeader: true}, no election. */
    LEADER,
    /** {@code orgLeader: false}, no election. */
    FOLLOWER,
    /** {@code useLeaderElection: true}. */
    ELECTED
  }

  final ScenarioOptions options;

  /**
   * The settings of every node: {@link #FAST}, {@link #SHORT} with {@code --timers short}, or with
   * {@code --timers fabric} Fabric's defaults (alive 5 s, expiry 25 s, reconnect 25 s, pull and
   * state info 4 s, state checks 10 s, election grace 15 s, leader alive threshold 10 s, election 5
   * s).
   */
  final GossipConfig config;

  final CryptoLayout layout;
  final OrdererEmulator emulator;
  final OrdererReceipts receipts = new OrdererReceipts();

  /** Leadership events of every peer, for the failover scenario. */
  final List<LeadershipStamp> leadership = new CopyOnWriteArrayList<>();

  final Clock clock;

  /** Splits and heals the peers ({@code partition}). */
  final Partitions partitions;

  private final Path dir;
  private final @Nullable VirtualScheduler time;
  private final @Nullable Scheduler networkScheduler;
  private final @Nullable InMemoryNetwork network;
  private final Scheduler ordererScheduler;
  private final Msp ordererMsp;
  private final String emulatorName;
  private final List<Endpoint> endpoints;
  private final byte[] payload;
  private final List<NodePeer> peers = new ArrayList<>();
  private final Map<Integer, Long> prefilled = new HashMap<>();

  /** Generates {@code identities} peer identities and the orderer's; opens the emulator. */
  NodeNetwork(ScenarioOptions options, int identities) throws Exception {
    this.options = options;
    this.config =
        switch (options.timers()) {
          case FAST -> FAST;
          case SHORT -> SHORT;
          case FABRIC -> GossipConfig.defaults();
        };
    this.dir = Files.createTempDirectory("gossip-bench-" + options.scenario());
    String name = "bench-" + options.scenario() + "-" + RUNS.incrementAndGet();
    if (options.virtualTime()) {
      time = new VirtualScheduler();
      networkScheduler = null;
      ordererScheduler = time;
      clock = time.clock();
    } else {
      time = null;
      networkScheduler =
          options.transport() == Kind.INMEMORY ? Scheduler.system("bench-inmemory-network") : null;
      ordererScheduler = Scheduler.system("bench-orderer");
      clock = Clock.system();
    }
    Scheduler netScheduler = time != null ? time : networkScheduler;
    if (netScheduler != null) {
      network =
          InMemoryNetwork.builder()
              .name(name + "-" + System.nanoTime())
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
            dir.resolve("crypto"),
            Cryptogen.Spec.builder().peersPerOrg(identities).clock(clock).build());
    endpoints = network != null ? inMemoryEndpoints(identities) : loopbackEndpoints(identities);
    ordererMsp =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID, layout.ordererDir(), layout.trustedOrgs(), clock));
    emulatorName = name + "-orderer-" + System.nanoTime();
    emulator =
        OrdererEmulator.builder()
            .msp(ordererMsp)
            .scheduler(ordererScheduler)
            .seed(options.seed())
            .maxMessageCount(1)
            .name(emulatorName)
            .build();
    emulator.createChannel(CHANNEL);
    partitions = new Partitions(network, options, peers);
    payload = new byte[options.blockSize()];
    new Random(options.seed()).nextBytes(payload);
  }

  private List<Endpoint> inMemoryEndpoints(int count) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new Endpoint(layout.peerName(1, i), 7051));
    }
    return out;
  }

  /** Free ports on 127.0.0.1, all held open until every one is chosen so none repeats. */
  private static List<Endpoint> loopbackEndpoints(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      List<Endpoint> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        out.add(new Endpoint("127.0.0.1", s.getLocalPort()));
      }
      return out;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /** The endpoint peer {@code index} listens on. */
  Endpoint endpoint(int index) {
    return endpoints.get(index);
  }

  Path ledgerDirectory(int index) {
    return dir.resolve("ledgers").resolve(layout.peerName(1, index));
  }

  /**
   * Starts peer {@code index} as {@code role}, bootstrapping from peer 0 (peer 0 from nobody); its
   * commit log starts at the height its ledger already has.
   */
  NodePeer start(int index, Role role) throws Exception {
    NodePeer p = create(index, role);
    p.start();
    return p;
  }

  /**
   * Builds peer {@code index} as {@link #start} does, without starting it ({@link NodePeer#start}).
   */
  NodePeer create(int index, Role role) throws Exception {
    NodePeer p =
        new NodePeer(
            this,
            index,
            role,
            index == 0 ? List.of() : List.of(endpoint(0)),
            prefilled.getOrDefault(index, 0L));
    peers.add(p);
    partitions.register(p);
    return p;
  }

  /** The running or killed peers, in the order started. */
  List<NodePeer> peers() {
    return peers;
  }

  @Nullable VirtualScheduler virtualTime() {
    return time;
  }

  @Nullable InMemoryNetwork inMemory() {
    return network;
  }

  /** The number of the next block the emulator will cut. */
  long ordererHeight() {
    return emulator.height(CHANNEL);
  }

  /** The emulator's block {@code n}, if cut. */
  @Nullable Block ordererBlock(long n) {
    try {
      return emulator.block(CHANNEL, n).orElse(null);
    } catch (LedgerException e) {
      throw new IllegalStateException("the emulator cannot read block " + n, e);
    }
  }

  /**
   * Has the emulator cut one more block of {@code --block-size} payload bytes (on its thread).
   *
   * @throws IllegalStateException if the emulator refuses it
   */
  void cutOne() {
    BroadcastStatus status = emulator.submit(CHANNEL, payload);
    if (status != BroadcastStatus.SUCCESS) {
      throw new IllegalStateException("the emulator refused a block: " + status);
    }
  }

  /**
   * Cuts {@code count} blocks, one every {@code 1/rate} seconds on the emulator's scheduler, the
   * first at once. The handle stops it early.
   */
  Cancellable cutAtRate(int count, double rate) {
    AtomicInteger cut = new AtomicInteger();
    Cancellable[] self = new Cancellable[1];
    Duration period = Duration.ofNanos(Math.max(1, Math.round(1e9 / rate)));
    Cancellable task =
        ordererScheduler.scheduleAtFixedRate(
            () -> {
              if (cut.incrementAndGet() <= count) {
                cutOne();
              } else if (self[0] != null) {
                self[0].cancel();
              }
            },
            Duration.ZERO,
            period);
    self[0] = task;
    return task;
  }

  /** Writes the emulator's blocks {@code 0..height-1} into peer {@code index}'s ledger. */
  void prefill(int index, long height) throws LedgerException {
    LedgerStoreProvider file =
        Providers.load(LedgerStoreProvider.class, "file", NodeNetwork.class.getClassLoader());
    try (LedgerStore ledger =
        file.open(
            new LedgerOptions(
                CHANNEL, ledgerDirectory(index).resolve(CHANNEL), Map.of("file.fsync", "never")))) {
      for (long n = ledger.height(); n < height; n++) {
        Block b = ordererBlock(n);
        if (b == null) {
          throw new IllegalStateException("the emulator has no block " + n);
        }
        ledger.append(b);
      }
      prefilled.put(index, ledger.height());
    }
  }

  /**
   * Every one of {@code among} holds the others alive and as members of the channel (their state
   * info received), so that pushes can reach all of them.
   */
  static boolean converged(List<NodePeer> among) {
    for (NodePeer p : among) {
      if (p.node.alivePeers().size() < among.size() - 1
          || p.node.status(CHANNEL).memberHeights().size() < among.size() - 1) {
        return false;
      }
    }
    return true;
  }

  /** Every one of {@code among} has a ledger height of at least {@code height}. */
  static boolean allAt(List<NodePeer> among, long height) {
    for (NodePeer p : among) {
      if (p.height() < height) {
        return false;
      }
    }
    return true;
  }

  /** The ones of {@code among} that lead now. */
  static List<NodePeer> leaders(List<NodePeer> among) {
    return among.stream().filter(NodePeer::isLeader).toList();
  }

  /** The peers' clock, in nanoseconds. */
  long nanos() {
    return clock.nanoTime();
  }

  /** Frames and bytes sent by every peer so far (killed ones included). */
  long[] sent() {
    long[] sum = new long[2];
    for (NodePeer p : peers) {
      sum[0] += p.transport.traffic.sentFrames.sum();
      sum[1] += p.transport.traffic.sentBytes.sum();
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
    long end = nanos() + limit.toNanos();
    if (time != null) {
      while (!condition.getAsBoolean()) {
        long left = end - nanos();
        if (left <= 0) {
          return false;
        }
        Duration slice = Duration.ofNanos(Math.min(left, VIRTUAL_SLICE.toNanos()));
        if (time.runUntil(condition, slice)) {
          return true;
        }
      }
      return true;
    }
    while (!condition.getAsBoolean()) {
      if (nanos() >= end) {
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
   * Crashes {@code p}: no goodbye. Its transport first stops passing anything ({@link
   * CountingTransport#crash}); in memory its endpoint is then killed ({@code Faults.kill}: listener
   * and every connection reset, the others see the close at once); its transport is closed (Netty:
   * each connection closed at once, which the others see as TLS close_notify and TCP FIN, as when
   * the kernel closes a dead process's sockets, though without RST); only then is the node closed,
   * and whatever it tries to send while closing is lost.
   */
  void kill(NodePeer p) {
    p.killed = true;
    p.transport.crash();
    if (network != null) {
      network.faults().kill(p.endpoint);
    }
    p.transport.close();
    p.node.close();
    p.source.close();
  }

  /** Tasks of the virtual scheduler that threw (0 in real time). */
  long failedTasks() {
    return time != null ? time.failedTasks() : 0;
  }

  Scheduler newPeerScheduler(int index) {
    return time != null ? time : Scheduler.system("bench-node-" + index);
  }

  Set<String> orgs() {
    return Set.of(layout.mspId(1));
  }

  String emulatorName() {
    return emulatorName;
  }

  @Override
  public void close() {
    for (NodePeer p : peers) {
      p.node.close();
    }
    if (time != null) {
      time.runUntilIdle();
    }
    emulator.close();
    for (NodePeer p : peers) {
      p.source.close();
      p.transport.close();
      if (p.scheduler != time) {
        p.scheduler.close();
      }
      p.msp.close();
    }
    if (ordererScheduler != time) {
      ordererScheduler.close();
    }
    ordererMsp.close();
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
