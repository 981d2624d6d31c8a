package org.ledgergossip.node;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.ProviderNotFoundException;
import org.ledgergossip.api.Providers;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.Discovery;
import org.ledgergossip.membership.GossipChannels;
import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspProvider;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.ledgergossip.spi.orderer.BlockSourceProvider;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started node: the parts {@link #start} built, in the order it built them, and closed in the
 * reverse order. Not thread-safe: {@link GossipNode} serialises start and close.
 */
final class RunningNode {

  private static final Logger log = LoggerFactory.getLogger(RunningNode.class);

  final NodeServices services;
  final Endpoint endpoint;
  final @Nullable Endpoint externalEndpoint;
  final Instant startedAt;
  final Map<String, NodeChannel> channels;
  private final Deque<AutoCloseable> toClose;

  private RunningNode(
      NodeServices services,
      Endpoint endpoint,
      @Nullable Endpoint externalEndpoint,
      Instant startedAt,
      Map<String, NodeChannel> channels,
      Deque<AutoCloseable> toClose) {
    this.services = services;
    this.endpoint = endpoint;
    this.externalEndpoint = externalEndpoint;
    this.startedAt = startedAt;
    this.channels = channels;
    this.toClose = toClose;
  }

  /** Builds and starts everything; on failure closes what was built and throws. */
  static RunningNode start(NodeSettings s, NodeEvents events) throws NodeStartException {
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try {
      return build(s, events, opened);
    } catch (NodeStartException | RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  private static RunningNode build(NodeSettings s, NodeEvents events, Deque<AutoCloseable> opened)
      throws NodeStartException {
    GossipConfig config = s.config();
    for (String warning : config.warnings()) {
      log.warn("configuration: {}", warning);
    }
    MeterRegistry meters = s.meters() != null ? s.meters() : new SimpleMeterRegistry();
    MspProvider mspProvider = s.msp() != null ? null : load(MspProvider.class, s.mspProvider());
    Msp msp = mspProvider == null ? requireNonNull(s.msp()) : openMsp(mspProvider, s, opened);
    PkiId self = msp.localIdentity().pkiId();
    String mspId = msp.localIdentity().mspId();
    Scheduler scheduler = s.scheduler();
    Executor committer;
    if (scheduler == null) {
      String tag = self.toHex().substring(0, 8);
      Scheduler own = Scheduler.system("gossip-" + tag);
      opened.push(own);
      Scheduler commits = Scheduler.system("gossip-commit-" + tag);
      opened.push(commits);
      scheduler = own;
      committer = commits;
    } else {
      committer = scheduler;
    }
    TransportProvider transportProvider =
        s.transport() != null ? null : load(TransportProvider.class, s.transportProvider());
    Transport transport =
        transportProvider == null
            ? requireNonNull(s.transport())
            : openTransport(transportProvider, s, msp, meters);
    if (s.transport() == null) {
      opened.push(transport);
    }
    WireCodec codec = new WireCodec(config.maxRecvMsgSize(), meters);
    Comm comm =
        Comm.builder()
            .transport(transport)
            .listen(s.listen())
            .msp(msp)
            .codec(codec)
            .scheduler(scheduler)
            .meterRegistry(meters)
            .connTimeout(config.connTimeout())
            .dialTimeout(config.dialTimeout())
            .tlsBinding(msp.tlsCredentials().isPresent())
            .build();
    try {
      comm.start();
    } catch (TransportException e) {
      throw new NodeStartException("cannot listen on " + s.listen() + ": " + e.getMessage(), e);
    }
    opened.push(comm::stop);
    Endpoint endpoint = comm.listenEndpoint().orElse(s.listen());
    Endpoint internal = config.endpoint().orElse(endpoint);
    Endpoint external =
        s.externalEndpoint() != null
            ? s.externalEndpoint()
            : config.externalEndpoint().orElse(null);
    long incNum = s.incNum() != null ? s.incNum() : scheduler.clock().instant().toEpochMilli();
    SplittableRandom random = new SplittableRandom(s.seed());
    Discovery.Builder discoveryBuilder =
        Discovery.builder()
            .comm(comm)
            .msp(msp)
            .scheduler(scheduler)
            .config(config)
            .meterRegistry(meters)
            .random(random.split())
            .codec(codec)
            .internalEndpoint(internal)
            .incNum(incNum);
    if (external != null) {
      discoveryBuilder.externalEndpoint(external);
    }
    s.anchorPeers().forEach(discoveryBuilder::anchorPeers);
    Discovery discovery = discoveryBuilder.build();
    opened.push(discovery::stop);
    GossipChannels gossipChannels =
        GossipChannels.builder()
            .comm(comm)
            .msp(msp)
            .view(discovery.view())
            .scheduler(scheduler)
            .config(config)
            .meterRegistry(meters)
            .random(random.split())
            .codec(codec)
            .externalEndpoint(external != null)
            .incNum(incNum)
            .build();
    opened.push(gossipChannels);
    Runnable unused = discovery.view().addListener(events::membership);
    BlockSource source =
        s.blockSource() != null ? s.blockSource() : openBlockSource(s, msp, scheduler);
    if (source != null && s.blockSource() == null) {
      opened.push(source);
    }
    NodeServices services =
        new NodeServices(
            comm,
            msp,
            mspId,
            self,
            scheduler,
            committer,
            config,
            meters,
            codec,
            discovery,
            gossipChannels,
            s.ordererMspIds(),
            source,
            s.ordererBackpressure(),
            s.yieldAfter(),
            incNum,
            events);
    ElectionStrategyProvider election = load(ElectionStrategyProvider.class, s.electionName());
    LedgerStoreProvider ledgers = load(LedgerStoreProvider.class, s.ledgerProvider());
    discovery.start();
    Map<String, NodeChannel> channels = new LinkedHashMap<>();
    for (Map.Entry<String, java.util.Set<String>> c : s.channels().entrySet()) {
      String name = c.getKey();
      LedgerStore ledger = openLedger(ledgers, s, name);
      NodeChannel channel;
      try {
        channel = new NodeChannel(services, name, c.getValue(), ledger, election, random.split());
      } catch (RuntimeException e) {
        closeQuietly(ledger);
        throw e;
      }
      opened.push(channel);
      channels.put(name, channel);
      channel.start();
    }
    log.info(
        "peer {} of {} started on {} (external {}), incNum {}, channels {}; plugins: transport {},"
            + " msp {}, ledger {}, election {}, block source {}",
        self.toHex().substring(0, 16),
        mspId,
        endpoint,
        external != null ? external : "none",
        incNum,
        channels.keySet(),
        transportProvider == null ? "(given)" : transportProvider.name(),
        mspProvider == null ? "(given)" : mspProvider.name(),
        ledgers.name(),
        election.name(),
        source == null ? "none" : s.blockSource() != null ? "(given)" : s.blockSourceProvider());
    return new RunningNode(
        services, endpoint, external, scheduler.clock().instant(), channels, opened);
  }

  private static Msp openMsp(MspProvider provider, NodeSettings s, Deque<AutoCloseable> opened)
      throws NodeStartException {
    try {
      Msp msp = provider.create(requireNonNull(s.mspOptions()));
      opened.push(msp);
      return msp;
    } catch (InvalidIdentityException e) {
      throw new NodeStartException(
          "MSP "
              + provider.name()
              + " refused "
              + s.mspOptions().localMspDir()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static Transport openTransport(
      TransportProvider provider, NodeSettings s, Msp msp, MeterRegistry meters)
      throws NodeStartException {
    TransportOptions.Builder options =
        TransportOptions.builder()
            .meterRegistry(meters)
            .dialTimeout(s.config().dialTimeout())
            .maxFrameSize(s.config().maxRecvMsgSize());
    msp.tlsCredentials().ifPresent(options::tls);
    s.transportProperties().forEach(options::property);
    try {
      return provider.create(options.build());
    } catch (TransportException | IllegalArgumentException e) {
      throw new NodeStartException(
          "transport " + provider.name() + " refused its options: " + e.getMessage(), e);
    }
  }

  private static @Nullable BlockSource openBlockSource(NodeSettings s, Msp msp, Scheduler scheduler)
      throws NodeStartException {
    if (s.blockSourceProvider() == null) {
      return null;
    }
    BlockSourceProvider provider = load(BlockSourceProvider.class, s.blockSourceProvider());
    try {
      return provider.create(
          new BlockSourceOptions(
              s.orderers(),
              msp,
              msp.tlsCredentials()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "the MSP has no TLS credentials for the ordering service")),
              scheduler,
              s.blockSourceProperties()));
    } catch (IllegalArgumentException e) {
      throw new NodeStartException(
          "block source " + provider.name() + " refused its options: " + e.getMessage(), e);
    }
  }

  private static LedgerStore openLedger(
      LedgerStoreProvider provider, NodeSettings s, String channel) throws NodeStartException {
    Path dir = s.ledgerDirectory();
    if (dir == null) {
      throw new NodeStartException("no ledger directory set (peer.fileSystemPath)");
    }
    try {
      return provider.open(new LedgerOptions(channel, dir.resolve(channel), s.ledgerProperties()));
    } catch (LedgerException e) {
      throw new NodeStartException(
          "cannot open the "
              + provider.name()
              + " ledger of channel "
              + channel
              + " in "
              + dir.resolve(channel)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static <P extends org.ledgergossip.spi.Provider> P load(
      Class<P> type, @Nullable String name) throws NodeStartException {
    try {
      return Providers.load(type, name, GossipNode.class.getClassLoader());
    } catch (ProviderNotFoundException e) {
      throw new NodeStartException(e.getMessage(), e);
    }
  }

  /** Closes everything in the reverse order of opening. */
  void close() {
    closeAll(toClose);
  }

  private static void closeAll(Deque<AutoCloseable> opened) {
    while (!opened.isEmpty()) {
      closeQuietly(opened.pop());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("closing {} failed", c, e);
    }
  }

  List<NodeChannel> channelList() {
    return List.copyOf(channels.values());
  }
}
