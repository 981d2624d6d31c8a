package org.ledgergossip.node;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.transport.Transport;

/**
 * A whole gossip peer: comm and handshake, membership, the channels it joins with their ledgers and
 * state transfer, and per channel the election of its organisation's leader, which pulls blocks
 * from the ordering service. Plugins are chosen by name through {@link
 * org.ledgergossip.api.Providers} (transport, MSP, ledger store, block source, election strategy),
 * or handed in as instances.
 *
 * <pre>{@code
 * GossipNode node = GossipNode.builder()
 *     .config(GossipConfig.builder().bootstrap(List.of(Endpoint.parse("127.0.0.1:7051"))).build())
 *     .msp("x509", mspOptions)
 *     .listen(Endpoint.parse("127.0.0.1:7052"))
 *     .ledgerDirectory(Path.of("data"))
 *     .blockSource("deliver", List.of(Endpoint.parse("127.0.0.1:7050")), Map.of())
 *     .channel("mychannel", Set.of("Org1MSP", "Org2MSP"))
 *     .build();
 * node.addListener(new NodeListener() {
 *   public void onCommit(String channel, Block block) { System.out.println(block.number()); }
 * });
 * node.start();
 * }</pre>
 *
 * <p><b>Life.</b> {@link #start()} once, then {@link #close()} (idempotent); a closed node cannot
 * start again (build a new one on the same ledger directory, with a new {@code incNum}).
 *
 * <p><b>Threading.</b> Thread-safe. The node runs on its scheduler (its own daemon threads unless
 * one is {@linkplain Builder#scheduler given}); listeners are called on those threads.
 */
public final class GossipNode implements AutoCloseable {

  private final NodeSettings settings;
  private final NodeEvents events = new NodeEvents();

  @GuardedBy("this")
  private @Nullable RunningNode running;

  @GuardedBy("this")
  private boolean closed;

  private GossipNode(NodeSettings settings) {
    this.settings = settings;
  }

  /** A builder holding Fabric's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the node: opens the MSP, transport, ledgers and block source, listens, joins membership
   * and the channels, and starts each channel's election. On failure, whatever had started is
   * stopped again.
   *
   * @throws NodeStartException naming what failed (endpoint in use, ledger folder locked or
   *     corrupt, plugin not found — the message lists those found — or refusing its options)
   * @throws IllegalStateException if started before or closed
   */
  public synchronized void start() throws NodeStartException {
    if (running != null || closed) {
      throw new IllegalStateException(closed ? "node closed" : "node already started");
    }
    running = RunningNode.start(settings, events);
  }

  /**
   * Stops the node: elections (a leader stops pulling), state transfer, ledgers (synced and
   * closed), channels, membership, connections, and the plugins the node opened itself (not those
   * handed in as instances). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (running != null) {
      running.close();
    }
  }

  /** True between a successful {@link #start()} and {@link #close()}. */
  public synchronized boolean isRunning() {
    return running != null && !closed;
  }

  /**
   * Registers {@code listener} for membership, leadership and commit events (see {@link
   * NodeListener} for the threads); may be called before {@link #start()}.
   *
   * @return a handle that unregisters it
   */
  public Runnable addListener(NodeListener listener) {
    return events.add(listener);
  }

  /** This node's PKI-ID. */
  public PkiId self() {
    return node().services.self();
  }

  /** The MSP id of this node's organisation. */
  public String mspId() {
    return node().services.mspId();
  }

  /** The endpoint this node listens on (with the port chosen when 0 was asked). */
  public Endpoint endpoint() {
    return node().endpoint;
  }

  /** The endpoint advertised to other organisations, if any. */
  public Optional<Endpoint> externalEndpoint() {
    return Optional.ofNullable(node().externalEndpoint);
  }

  /** The incarnation number of this run ({@code inc_num} of its alive messages). */
  public long incNum() {
    return node().services.incNum();
  }

  /** When this node started, on its clock. */
  public Instant startedAt() {
    return node().startedAt;
  }

  /** The peers alive in this node's membership view, not including itself. */
  public List<Member> alivePeers() {
    return node().services.discovery().view().alive();
  }

  /** The peers this node holds dead (not yet purged). */
  public List<Member> deadPeers() {
    return node().services.discovery().view().dead();
  }

  /** The names of the channels this node joined, in the order given. */
  public Set<String> channels() {
    return node().channels.keySet();
  }

  /**
   * This node's ledger height on {@code channel}: the number of the next block to commit.
   *
   * @throws IllegalArgumentException if the channel is not one of this node's
   */
  public long height(String channel) {
    return channel(channel).height();
  }

  /**
   * True while this node leads its organisation in {@code channel}.
   *
   * @throws IllegalArgumentException if the channel is not one of this node's
   */
  public boolean isLeader(String channel) {
    return channel(channel).isLeader();
  }

  /**
   * A snapshot of {@code channel}: height, leadership, members' heights, blocks by way.
   *
   * @throws IllegalArgumentException if the channel is not one of this node's
   */
  public ChannelStatus status(String channel) {
    return channel(channel).status();
  }

  /** Snapshots of every channel, in the order given. */
  public List<ChannelStatus> statuses() {
    List<ChannelStatus> out = new ArrayList<>();
    for (NodeChannel c : node().channelList()) {
      out.add(c.status());
    }
    return out;
  }

  /** Where the node's meters are (the one given, or its own simple registry). */
  public MeterRegistry meterRegistry() {
    return node().services.meters();
  }

  private NodeChannel channel(String name) {
    NodeChannel c = node().channels.get(requireNonNull(name, "channel"));
    if (c == null) {
      throw new IllegalArgumentException(
          "channel " + name + " is not one of this node's " + node().channels.keySet());
    }
    return c;
  }

  /** The running parts, for tests of this package. */
  synchronized RunningNode running() {
    return node();
  }

  private synchronized RunningNode node() {
    if (running == null || closed) {
      throw new IllegalStateException(closed ? "node closed" : "node not started");
    }
    return running;
  }

  @Override
  public String toString() {
    return "GossipNode[" + settings.listen() + ", channels " + settings.channels().keySet() + "]";
  }

  /**
   * Collects a node's settings. Required: {@link #listen}, an MSP ({@link #msp(Msp)} or {@link
   * #msp(String, MspOptions)}), and, when a channel is joined, {@link #ledgerDirectory}. Not
   * thread-safe.
   */
  public static final class Builder {
    private GossipConfig config = GossipConfig.defaults();
    private @Nullable Endpoint listen;
    private @Nullable Endpoint externalEndpoint;
    private @Nullable Msp msp;
    private @Nullable String mspProvider;
    private @Nullable MspOptions mspOptions;
    private @Nullable Transport transport;
    private @Nullable String transportProvider;
    private final Map<String, String> transportProperties = new TreeMap<>();
    private @Nullable String ledgerProvider;
    private @Nullable Path ledgerDirectory;
    private final Map<String, String> ledgerProperties = new TreeMap<>();
    private @Nullable BlockSource blockSource;
    private @Nullable String blockSourceProvider;
    private List<Endpoint> orderers = List.of();
    private final Map<String, String> blockSourceProperties = new TreeMap<>();
    private Set<String> ordererMspIds = Set.of("OrdererMSP");
    private @Nullable String electionProvider;
    private final Map<String, Set<String>> channels = new LinkedHashMap<>();
    private final Map<String, List<Endpoint>> anchorPeers = new LinkedHashMap<>();
    private @Nullable Scheduler scheduler;
    private @Nullable MeterRegistry meters;
    private @Nullable Long seed;
    private @Nullable Long incNum;
    private Duration ordererBackpressure = Duration.ofSeconds(5);
    private Duration yieldAfter = Duration.ofHours(1);

    private Builder() {}

    /** The {@code peer.gossip.*} settings (default: Fabric's). */
    @CanIgnoreReturnValue
    public Builder config(GossipConfig config) {
      this.config = requireNonNull(config, "config");
      return this;
    }

    /** Where to listen ({@code peer.listenAddress}); port 0 picks a free one. Required. */
    @CanIgnoreReturnValue
    public Builder listen(Endpoint endpoint) {
      this.listen = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The endpoint advertised to other organisations (default {@link
     * GossipConfig#externalEndpoint()}; without one the node stays invisible to them).
     */
    @CanIgnoreReturnValue
    public Builder externalEndpoint(Endpoint endpoint) {
      this.externalEndpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** An MSP made and closed by the caller. */
    @CanIgnoreReturnValue
    public Builder msp(Msp msp) {
      this.msp = requireNonNull(msp, "msp");
      return this;
    }

    /** The MSP plugin named {@code provider} (null: the best available), opened on start. */
    @CanIgnoreReturnValue
    public Builder msp(@Nullable String provider, MspOptions options) {
      this.mspProvider = provider;
      this.mspOptions = requireNonNull(options, "options");
      return this;
    }

    /** A transport made and closed by the caller (for example one of an in-memory network). */
    @CanIgnoreReturnValue
    public Builder transport(Transport transport) {
      this.transport = requireNonNull(transport, "transport");
      return this;
    }

    /**
     * The transport plugin named {@code provider} ({@code peer.gossip.transport}; default: the best
     * available, {@code netty}), with the MSP's TLS credentials and {@code properties}.
     */
    @CanIgnoreReturnValue
    public Builder transport(String provider, Map<String, String> properties) {
      this.transportProvider = requireNonNull(provider, "provider");
      this.transportProperties.putAll(properties);
      return this;
    }

    /**
     * The ledger store plugin named {@code provider} ({@code peer.ledger.store}; default: the best
     * available, {@code file}) and its properties.
     */
    @CanIgnoreReturnValue
    public Builder ledger(String provider, Map<String, String> properties) {
      this.ledgerProvider = requireNonNull(provider, "provider");
      this.ledgerProperties.putAll(properties);
      return this;
    }

    /** The folder of the ledgers ({@code peer.fileSystemPath}); one sub-folder per channel. */
    @CanIgnoreReturnValue
    public Builder ledgerDirectory(Path directory) {
      this.ledgerDirectory = requireNonNull(directory, "directory");
      return this;
    }

    /** A block source made and closed by the caller. */
    @CanIgnoreReturnValue
    public Builder blockSource(BlockSource source) {
      this.blockSource = requireNonNull(source, "source");
      return this;
    }

    /**
     * The block source plugin named {@code provider} ({@code peer.blockSource}, e.g. {@code
     * deliver}) reaching {@code orderers} with the MSP's identity and TLS credentials. Without a
     * block source, a leader has nothing to pull and says so in the log.
     */
    @CanIgnoreReturnValue
    public Builder blockSource(
        String provider, List<Endpoint> orderers, Map<String, String> properties) {
      this.blockSourceProvider = requireNonNull(provider, "provider");
      this.orderers = List.copyOf(orderers);
      this.blockSourceProperties.putAll(properties);
      return this;
    }

    /** The MSP ids whose signatures make a block valid (default {@code OrdererMSP}). */
    @CanIgnoreReturnValue
    public Builder ordererMspIds(Set<String> ids) {
      if (ids.isEmpty()) {
        throw new IllegalArgumentException("at least one orderer MSP id is needed");
      }
      this.ordererMspIds = Set.copyOf(ids);
      return this;
    }

    /**
     * The election strategy plugin ({@code peer.gossip.election}); default {@code dynamic} when
     * {@code useLeaderElection} is true, else {@code static}.
     */
    @CanIgnoreReturnValue
    public Builder election(String provider) {
      this.electionProvider = requireNonNull(provider, "provider");
      return this;
    }

    /** Joins {@code channel}, whose organisations are {@code orgs} (their MSP ids). */
    @CanIgnoreReturnValue
    public Builder channel(String channel, Set<String> orgs) {
      if (channel.isBlank()) {
        throw new IllegalArgumentException("a channel name must not be blank");
      }
      if (orgs.isEmpty()) {
        throw new IllegalArgumentException("channel " + channel + " needs at least one org");
      }
      this.channels.put(channel, Set.copyOf(orgs));
      return this;
    }

    /** Anchor peers of organisation {@code mspId}, dialled at start and never purged. */
    @CanIgnoreReturnValue
    public Builder anchorPeers(String mspId, List<Endpoint> endpoints) {
      this.anchorPeers.put(requireNonNull(mspId, "mspId"), List.copyOf(endpoints));
      return this;
    }

    /**
     * Runs the node on {@code scheduler} (owned by the caller; commits run on it too), for example
     * a virtual-time one in tests. Default: two daemon threads of the node's own.
     */
    @CanIgnoreReturnValue
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where the meters go (default: a simple registry of the node's own). */
    @CanIgnoreReturnValue
    public Builder meterRegistry(MeterRegistry registry) {
      this.meters = requireNonNull(registry, "registry");
      return this;
    }

    /** Seeds every random choice, for reproducible runs (default: a random seed). */
    @CanIgnoreReturnValue
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** This run's incarnation number (default: the start time in milliseconds). */
    @CanIgnoreReturnValue
    public Builder incNum(long incNum) {
      this.incNum = incNum;
      return this;
    }

    /**
     * How long a block from the ordering service may wait for room in the payload buffer before the
     * leader drops it and pulls again from its ledger height (default 5 s; zero when the block
     * source calls back on the node's own scheduler, as in virtual-time tests).
     */
    @CanIgnoreReturnValue
    public Builder ordererBackpressure(Duration wait) {
      if (wait.isNegative()) {
        throw new IllegalArgumentException("ordererBackpressure must not be negative");
      }
      this.ordererBackpressure = wait;
      return this;
    }

    /**
     * How long the ordering service may keep failing before a leader yields (Fabric's {@code
     * peer.deliveryclient.reconnectTotalTimeThreshold}, default 1 h); static leaders never yield.
     */
    @CanIgnoreReturnValue
    public Builder yieldAfter(Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("yieldAfter must be positive");
      }
      this.yieldAfter = duration;
      return this;
    }

    /**
     * The node, not started.
     *
     * @throws IllegalStateException if {@link #listen} or the MSP is missing, or a channel is
     *     joined without a ledger directory
     */
    public GossipNode build() {
      if (listen == null) {
        throw new IllegalStateException("listen endpoint not set (peer.listenAddress)");
      }
      if (msp == null && mspOptions == null) {
        throw new IllegalStateException("no MSP set: call msp(Msp) or msp(provider, options)");
      }
      if (!channels.isEmpty() && ledgerDirectory == null) {
        throw new IllegalStateException(
            "channels " + channels.keySet() + " need a ledger directory (peer.fileSystemPath)");
      }
      return new GossipNode(
          new NodeSettings(
              config,
              listen,
              externalEndpoint,
              msp,
              mspProvider,
              mspOptions,
              transport,
              transportProvider,
              transportProperties,
              ledgerProvider,
              ledgerDirectory,
              ledgerProperties,
              blockSource,
              blockSourceProvider,
              orderers,
              blockSourceProperties,
              ordererMspIds,
              electionProvider,
              channels,
              anchorPeers,
              scheduler,
              meters,
              seed != null ? seed : new SecureRandom().nextLong(),
              incNum,
              ordererBackpressure,
              yieldAfter));
    }
  }
}
