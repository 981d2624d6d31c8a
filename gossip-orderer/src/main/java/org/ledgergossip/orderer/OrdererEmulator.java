package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.block.BlockSigner;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.orderer.BlockSource;

/**
 * An ordering service in one process, for tests, the demo and benchmarks: per channel it cuts
 * hash-chained blocks in Fabric's format, signed by the orderer identity of its {@link Msp}, and
 * delivers them in order to subscribers. {@link OrdererServer} serves it over gRPC as Fabric's
 * {@code AtomicBroadcast} service.
 *
 * <ul>
 *   <li>{@link #createChannel} writes block 0: one {@code CONFIG} envelope of the channel, signed
 *       like every block (Fabric's genesis block is not, but a peer never receives it through
 *       deliver). With a {@linkplain Builder#ledger ledger} that already holds blocks, the chain
 *       continues from its last block instead.
 *   <li>{@link #broadcast} takes a marshalled {@code common.Envelope} whose channel header names
 *       the channel; {@link #submit} wraps raw bytes into such an envelope, signed by the orderer.
 *       Envelopes are cut into blocks as Fabric's block cutter does: at most {@link
 *       Builder#maxMessageCount} envelopes and about {@link Builder#preferredMaxBytes} bytes per
 *       block (a larger envelope gets a block of its own), and a partial batch is cut {@link
 *       Builder#batchTimeout} after its first envelope.
 *   <li>{@link #startSynthetic} cuts synthetic blocks at a fixed rate.
 *   <li>Blocks are kept in the ledger the {@linkplain Builder#ledger ledger factory} opens per
 *       channel, or else in memory, the newest {@link Builder#retainedBlocks} per channel.
 *   <li>{@link #deliver} sends a subscriber every block from a height on, in order: first those
 *       already cut, then each new one as it is cut.
 * </ul>
 *
 * <p>Not checked (unlike Fabric's orderer): the broadcaster's signature and the channel's writers
 * policy; channel configuration updates.
 *
 * <p><b>Threading.</b> Thread-safe. Cutting, signing, storing and every listener callback run on
 * the {@linkplain Builder#scheduler scheduler}, one at a time; listeners must not block it. A
 * subscription closed on the scheduler (say, from a callback) gets no further callback; closed from
 * another thread, a callback in progress may still complete.
 *
 * <p><b>Bounds.</b> Each channel's inbox holds at most {@link Builder#maxPendingEnvelopes} items
 * (more are refused with {@link BroadcastStatus#SERVICE_UNAVAILABLE}); at most {@link
 * Builder#maxSubscribers} subscribers per channel; replay sends {@value ChannelChain#REPLAY_CHUNK}
 * blocks per scheduler task.
 *
 * <p><b>Metrics</b> (Fabric's names): {@code broadcast_processed_count{channel,status}}, {@code
 * deliver_blocks_sent{channel}}, {@code ledger_blockchain_height{channel}}.
 *
 * <p><b>Nullability.</b> No argument may be null; no method returns null.
 */
public final class OrdererEmulator implements AutoCloseable {

  /** Fabric's default {@code BatchSize.MaxMessageCount} of configtx.yaml. */
  public static final int DEFAULT_MAX_MESSAGE_COUNT = 10;

  /** Fabric's default {@code BatchSize.PreferredMaxBytes} of configtx.yaml: 512 KiB. */
  public static final int DEFAULT_PREFERRED_MAX_BYTES = 512 * 1024;

  /** Fabric's default {@code BatchSize.AbsoluteMaxBytes}: 10 MiB. */
  public static final int DEFAULT_ABSOLUTE_MAX_BYTES = 10 * 1024 * 1024;

  /** Fabric's default {@code BatchTimeout} of configtx.yaml: 2 s. */
  public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(2);

  final Msp msp;
  final Scheduler scheduler;
  final MeterRegistry registry;
  final BlockSigner signer;
  final int maxMessageCount;
  final int preferredMaxBytes;
  final int absoluteMaxBytes;
  final Duration batchTimeout;
  final int maxPendingEnvelopes;
  final int maxSubscribers;
  private final int retainedBlocks;
  private final @Nullable LedgerFactory ledger;
  private final @Nullable String name;
  private final Random random;
  private final Map<String, ChannelChain> channels = new ConcurrentHashMap<>();
  private final List<Cancellable> loads = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private OrdererEmulator(Builder b) {
    this.msp = requireNonNull(b.msp, "msp");
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    this.registry = b.registry;
    this.random = b.seed == null ? new SecureRandom() : new Random(b.seed);
    this.signer = new BlockSigner(msp, random);
    this.maxMessageCount = b.maxMessageCount;
    this.preferredMaxBytes = b.preferredMaxBytes;
    this.absoluteMaxBytes = b.absoluteMaxBytes;
    this.batchTimeout = b.batchTimeout;
    this.maxPendingEnvelopes = b.maxPendingEnvelopes;
    this.maxSubscribers = b.maxSubscribers;
    this.retainedBlocks = b.retainedBlocks;
    this.ledger = b.ledger;
    this.name = b.name;
  }

  /** A builder; {@link Builder#msp} and {@link Builder#scheduler} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The open emulator registered under {@code name} (see {@link Builder#name}), for the in-process
   * {@code emulator} block source.
   */
  public static Optional<OrdererEmulator> lookup(String name) {
    return EmulatorRegistry.lookup(name);
  }

  /**
   * Creates {@code channel} and its block 0 (or continues the chain its ledger holds).
   *
   * @throws IllegalStateException if the channel exists or the emulator is closed
   * @throws LedgerException if the channel's ledger cannot be opened or read
   */
  public synchronized void createChannel(String channel) throws LedgerException {
    requireNonNull(channel, "channel");
    if (closed) {
      throw new IllegalStateException("the emulator is closed");
    }
    if (channels.containsKey(channel)) {
      throw new IllegalStateException("channel " + channel + " exists");
    }
    BlockLog log =
        ledger == null
            ? new MemoryBlockLog(retainedBlocks)
            : new LedgerBlockLog(ledger.open(channel));
    try {
      channels.put(channel, new ChannelChain(channel, this, log));
    } catch (LedgerException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** The channels created so far. */
  public Set<String> channels() {
    return Set.copyOf(channels.keySet());
  }

  /**
   * Number of blocks of {@code channel} (the number of the next block).
   *
   * @throws IllegalArgumentException if there is no such channel
   */
  public long height(String channel) {
    return chain(channel).height();
  }

  /**
   * Block {@code number} of {@code channel}, or empty if it is not cut yet or no longer held.
   *
   * @throws IllegalArgumentException if there is no such channel
   * @throws LedgerException if the ledger cannot read it
   */
  public Optional<Block> block(String channel, long number) throws LedgerException {
    return chain(channel).block(number);
  }

  /**
   * Orders a marshalled {@code common.Envelope}, as {@code AtomicBroadcast.Broadcast} receives it.
   * Returns at once; the block is cut later on the scheduler.
   *
   * @return {@link BroadcastStatus#SUCCESS} if it was accepted; {@code NOT_FOUND} for an unknown
   *     channel; {@code BAD_REQUEST} if it is larger than {@link Builder#absoluteMaxBytes} or its
   *     channel header does not name {@code channel}; {@code SERVICE_UNAVAILABLE} if the inbox is
   *     full or the emulator closed
   */
  public BroadcastStatus broadcast(String channel, byte[] envelope) {
    requireNonNull(envelope, "envelope");
    ChannelChain chain = channels.get(requireNonNull(channel, "channel"));
    if (chain == null) {
      return BroadcastStatus.NOT_FOUND;
    }
    if (closed) {
      return BroadcastStatus.SERVICE_UNAVAILABLE;
    }
    Bytes bytes = Bytes.copyOf(envelope);
    if (envelope.length > absoluteMaxBytes
        || !ChannelEnvelopes.channelOf(bytes).map(channel::equals).orElse(false)) {
      chain.count(BroadcastStatus.BAD_REQUEST);
      return BroadcastStatus.BAD_REQUEST;
    }
    return chain.enqueue(bytes, false);
  }

  /**
   * Orders {@code data} wrapped in an {@code ENDORSER_TRANSACTION} envelope of {@code channel},
   * signed by the orderer. Statuses as {@link #broadcast}.
   */
  public BroadcastStatus submit(String channel, byte[] data) {
    requireNonNull(data, "data");
    ChannelChain chain = channels.get(requireNonNull(channel, "channel"));
    if (chain == null) {
      return BroadcastStatus.NOT_FOUND;
    }
    if (closed) {
      return BroadcastStatus.SERVICE_UNAVAILABLE;
    }
    if (data.length > absoluteMaxBytes) {
      chain.count(BroadcastStatus.BAD_REQUEST);
      return BroadcastStatus.BAD_REQUEST;
    }
    return chain.enqueue(Bytes.copyOf(data), true);
  }

  /**
   * Cuts synthetic blocks of {@code load} on {@code channel}, the first one interval from now,
   * until the returned handle is cancelled or the emulator closes (which cancels it).
   *
   * @throws IllegalArgumentException if there is no such channel
   */
  public Cancellable startSynthetic(String channel, SyntheticLoad load) {
    ChannelChain chain = chain(channel);
    requireNonNull(load, "load");
    Cancellable task =
        scheduler.scheduleAtFixedRate(
            () -> chain.cutSynthetic(load), load.interval(), load.interval());
    loads.removeIf(Cancellable::isCancelled);
    loads.add(task);
    if (closed) {
      task.cancel();
    }
    return task;
  }

  /**
   * Sends {@code listener} every block of {@code channel} numbered {@code fromHeight} and up, in
   * order, on the scheduler: those already cut, then each new one. If block {@code fromHeight} is
   * no longer held (the in-memory log dropped it), {@link BlockSource.Listener#onFailure} is called
   * once and the subscription ends; so it does if the ledger cannot be read. A listener that throws
   * is closed.
   *
   * @throws IllegalArgumentException if there is no such channel or {@code fromHeight} is negative
   * @throws IllegalStateException if the channel has {@link Builder#maxSubscribers} subscribers
   */
  public BlockSource.Subscription deliver(
      String channel, long fromHeight, BlockSource.Listener listener) {
    ChannelChain chain = chain(channel);
    if (fromHeight < 0) {
      throw new IllegalArgumentException("fromHeight must be >= 0, was " + fromHeight);
    }
    return chain.subscribe(fromHeight, requireNonNull(listener, "listener"));
  }

  /** The orderer's MSP id (the signer of its blocks). */
  public String mspId() {
    return msp.localIdentity().mspId();
  }

  /**
   * Stops cutting and delivering, closes the channels' ledgers and unregisters the name. Does not
   * close the MSP or the scheduler. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (name != null) {
      EmulatorRegistry.unregister(name, this);
    }
    for (Cancellable load : loads) {
      load.cancel();
    }
    for (ChannelChain chain : channels.values()) {
      chain.close();
    }
  }

  boolean isClosed() {
    return closed;
  }

  Clock clock() {
    return scheduler.clock();
  }

  byte[] nonce() {
    byte[] nonce = new byte[BlockSigner.NONCE_SIZE];
    synchronized (random) {
      random.nextBytes(nonce);
    }
    return nonce;
  }

  Bytes randomBytes(int size) {
    byte[] out = new byte[size];
    synchronized (random) {
      random.nextBytes(out);
    }
    return Bytes.copyOf(out);
  }

  /** The chain of {@code channel}, or null if there is no such channel. */
  @Nullable ChannelChain findChain(String channel) {
    return channels.get(requireNonNull(channel, "channel"));
  }

  private ChannelChain chain(String channel) {
    ChannelChain chain = channels.get(requireNonNull(channel, "channel"));
    if (chain == null) {
      throw new IllegalArgumentException("no channel " + channel + "; channels are " + channels());
    }
    return chain;
  }

  @Override
  public String toString() {
    return "OrdererEmulator[" + (name == null ? "" : name + ", ") + channels() + "]";
  }

  /** Opens the ledger of a channel for {@link Builder#ledger}. */
  @FunctionalInterface
  public interface LedgerFactory {
    /**
     * The ledger of {@code channel}, opened (created if needed).
     *
     * @throws LedgerException if it cannot be opened
     */
    LedgerStore open(String channel) throws LedgerException;
  }

  /** Builds an {@link OrdererEmulator}; not thread-safe. */
  public static final class Builder {
    private @Nullable Msp msp;
    private @Nullable Scheduler scheduler;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private int maxMessageCount = DEFAULT_MAX_MESSAGE_COUNT;
    private int preferredMaxBytes = DEFAULT_PREFERRED_MAX_BYTES;
    private int absoluteMaxBytes = DEFAULT_ABSOLUTE_MAX_BYTES;
    private Duration batchTimeout = DEFAULT_BATCH_TIMEOUT;
    private int maxPendingEnvelopes = 10_000;
    private int maxSubscribers = 1_000;
    private int retainedBlocks = 100_000;
    private @Nullable LedgerFactory ledger;
    private @Nullable String name;
    private @Nullable Long seed;

    private Builder() {}

    /** The orderer's MSP: its local identity signs every block. Required. */
    public Builder msp(Msp msp) {
      this.msp = requireNonNull(msp, "msp");
      return this;
    }

    /** Runs the cutting, timers and deliveries. Required. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where the metrics go; default a private registry. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = requireNonNull(registry, "registry");
      return this;
    }

    /** Envelopes per block at most; default {@value #DEFAULT_MAX_MESSAGE_COUNT}. */
    public Builder maxMessageCount(int maxMessageCount) {
      this.maxMessageCount = positive(maxMessageCount, "maxMessageCount");
      return this;
    }

    /** Bytes per block aimed at; default {@value #DEFAULT_PREFERRED_MAX_BYTES}. */
    public Builder preferredMaxBytes(int preferredMaxBytes) {
      this.preferredMaxBytes = positive(preferredMaxBytes, "preferredMaxBytes");
      return this;
    }

    /** Largest envelope accepted; default {@value #DEFAULT_ABSOLUTE_MAX_BYTES}. */
    public Builder absoluteMaxBytes(int absoluteMaxBytes) {
      this.absoluteMaxBytes = positive(absoluteMaxBytes, "absoluteMaxBytes");
      return this;
    }

    /** How long a partial batch waits before it is cut; default 2 s. */
    public Builder batchTimeout(Duration batchTimeout) {
      requireNonNull(batchTimeout, "batchTimeout");
      if (batchTimeout.isNegative() || batchTimeout.isZero()) {
        throw new IllegalArgumentException("batchTimeout must be positive, was " + batchTimeout);
      }
      this.batchTimeout = batchTimeout;
      return this;
    }

    /** Items waiting to be cut per channel at most; default 10,000. */
    public Builder maxPendingEnvelopes(int maxPendingEnvelopes) {
      this.maxPendingEnvelopes = positive(maxPendingEnvelopes, "maxPendingEnvelopes");
      return this;
    }

    /** Deliver subscribers per channel at most; default 1,000. */
    public Builder maxSubscribers(int maxSubscribers) {
      this.maxSubscribers = positive(maxSubscribers, "maxSubscribers");
      return this;
    }

    /**
     * Blocks kept per channel when there is no ledger factory (older ones are dropped and can no
     * longer be delivered); default 100,000.
     */
    public Builder retainedBlocks(int retainedBlocks) {
      this.retainedBlocks = positive(retainedBlocks, "retainedBlocks");
      return this;
    }

    /**
     * Opens the ledger of a channel (called once per channel by {@link #createChannel}, for example
     * {@code ch -> provider.open(new LedgerOptions(ch, dir.resolve(ch), Map.of()))}); the emulator
     * closes it. Default: blocks in memory.
     */
    public Builder ledger(LedgerFactory ledger) {
      this.ledger = requireNonNull(ledger, "ledger");
      return this;
    }

    /**
     * Registers the emulator under {@code name} while it is open, so that the {@code emulator}
     * block source of this process finds it. Default: not registered.
     */
    public Builder name(String name) {
      if (requireNonNull(name, "name").isEmpty()) {
        throw new IllegalArgumentException("name must not be empty");
      }
      this.name = name;
      return this;
    }

    /**
     * Seeds nonces and synthetic data, for reproducible runs; default a {@link SecureRandom}, as
     * signature-header nonces should be unpredictable.
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The emulator, without channels.
     *
     * @throws NullPointerException if the MSP or the scheduler is missing
     * @throws IllegalStateException if the {@linkplain #name name} is taken by an open emulator
     */
    public OrdererEmulator build() {
      OrdererEmulator emulator = new OrdererEmulator(this);
      if (name != null) {
        EmulatorRegistry.register(name, emulator);
      }
      return emulator;
    }

    private static int positive(int value, String what) {
      if (value <= 0) {
        throw new IllegalArgumentException(what + " must be positive, was " + value);
      }
      return value;
    }
  }
}
