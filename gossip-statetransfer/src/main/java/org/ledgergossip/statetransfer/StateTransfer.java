package org.ledgergossip.statetransfer;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.channel.ChannelMac;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.statetransfer.PayloadBuffer.Result;
import org.ledgergossip.statetransfer.StateMetrics.Drop;
import org.ledgergossip.statetransfer.StateMetrics.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of one channel on this peer (Fabric's {@code GossipStateProvider} with the block part
 * of its {@code gossipChannel}): every block reaches the ledger exactly once, in order, whether it
 * came from the ordering service, a push, a pull or anti-entropy.
 *
 * <p><b>Paths in.</b> {@link #deliverFromOrderer} (the leader's ordering-service client, on its own
 * thread) waits for room in the {@link PayloadBuffer}; gossiped blocks (pushes and pulls, see the
 * block gossip) are verified by the {@link BlockValidator} and dropped when beyond the buffer's
 * window; anti-entropy responses are verified and kept within the buffer's capacity. The committer
 * appends the buffer's blocks in order to the {@link LedgerStore}, each only if its {@code
 * previous_hash} is the header hash of the block before it (unless {@link Builder#checkHashChain}
 * is off), and publishes the new height on the channel ({@link StateChannel#setLedgerHeight}).
 *
 * <p><b>Leader.</b> While {@link #setLeader leader}, each block of the ordering service is pushed
 * once committed, as Fabric's {@code DataMessage}, to {@code propagatePeerNum} random same-org
 * members; receivers store, forward once and commit it; the block pull fills what the push missed;
 * anti-entropy catches up peers that are further behind than the pull's window.
 *
 * <p><b>Metrics</b> (all tagged {@code channel}): {@value #HEIGHT_GAUGE}, {@value
 * #COMMIT_DURATION}, {@value #BUFFER_GAUGE} (Fabric's names); {@value #RECEIVED_COUNTER}{@code
 * {via=push|pull|state_transfer|orderer}}, {@value #COMMITTED_COUNTER}, {@value
 * #DROPPED_COUNTER}{@code {reason}}, {@value #REQUESTS_COUNTER}, {@value #TIMEOUTS_COUNTER}.
 *
 * <p><b>Threading.</b> Thread-safe. Network input runs on the comm's threads, timers on the
 * scheduler, commits on the committer executor (by default the scheduler), one drain at a time.
 * Network input never throws out of a handler. Arguments must not be null.
 */
public final class StateTransfer implements AutoCloseable {

  /** Gauge of the ledger height (Fabric's {@code gossip_state_height}). */
  public static final String HEIGHT_GAUGE = "gossip_state_height";

  /** Timer of block commits (Fabric's {@code gossip_state_commit_duration}). */
  public static final String COMMIT_DURATION = "gossip_state_commit_duration";

  /** Gauge of the payload buffer's size (Fabric's {@code gossip_payload_buffer_size}). */
  public static final String BUFFER_GAUGE = "gossip_payload_buffer_size";

  /** Counter of blocks taken into the payload buffer, tagged {@code via}. */
  public static final String RECEIVED_COUNTER = "gossip_state_blocks_received_total";

  /** Counter of blocks committed. */
  public static final String COMMITTED_COUNTER = "gossip_state_blocks_committed_total";

  /** Counter of blocks and state messages dropped, tagged {@code reason}. */
  public static final String DROPPED_COUNTER = "gossip_state_dropped_total";

  /** Counter of remote state requests sent. */
  public static final String REQUESTS_COUNTER = "gossip_state_requests_sent_total";

  /** Counter of remote state requests that timed out. */
  public static final String TIMEOUTS_COUNTER = "gossip_state_request_timeouts_total";

  private static final Logger log = LoggerFactory.getLogger(StateTransfer.class);

  private final StateChannel channel;
  private final LedgerStore ledger;
  private final GossipConfig config;
  private final StateMetrics metrics;
  private final PayloadBuffer<Committer.Entry> buffer;
  private final BlockGossip gossip;
  private final AntiEntropy antiEntropy;
  private final StateServer server;
  private final AtomicLong height;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final Committer committer;
  private final Consumer<Block> onCommit;

  @GuardedBy("this")
  private @Nullable Subscription subscription;

  @GuardedBy("this")
  private boolean started;

  @GuardedBy("this")
  private boolean closed;

  /** Set by {@link #close}: nothing more is taken or committed. */
  private volatile boolean stopped;

  private StateTransfer(Builder b) {
    this.channel = requireNonNull(b.channel, "channel");
    this.onCommit = b.onCommit;
    this.ledger = requireNonNull(b.ledger, "ledger");
    Scheduler scheduler = requireNonNull(b.scheduler, "scheduler");
    this.config = requireNonNull(b.config, "config");
    MeterRegistry registry = requireNonNull(b.meterRegistry, "meterRegistry");
    RandomGenerator random = requireNonNull(b.random, "random");
    BlockValidator validator = requireNonNull(b.validator, "validator");
    WireCodec codec =
        b.codec != null ? b.codec : new WireCodec(WireCodec.DEFAULT_MAX_FRAME_SIZE, registry);
    this.height = new AtomicLong(ledger.height());
    int window = config.stateBlockBufferSize();
    this.buffer = new PayloadBuffer<>(ledger.height(), window);
    this.metrics = new StateMetrics(registry, channel.name(), height::get, buffer::size);
    ByteString channelBytes = ChannelMac.channelBytes(channel.name());
    this.gossip =
        new BlockGossip(
            channel,
            channelBytes,
            codec,
            scheduler,
            config,
            registry,
            new SplittableRandom(random.nextLong()),
            validator,
            metrics,
            buffer::next,
            window,
            this::accept,
            this::gapAt,
            this::gapSuspected);
    int batch = config.stateBatchSize();
    this.server = new StateServer(channel, channelBytes, ledger, codec, metrics, batch);
    int inFlight =
        b.maxRequestsInFlight > 0
            ? b.maxRequestsInFlight
            : Math.max(1, (buffer.capacity() + batch - 1) / batch);
    this.antiEntropy =
        new AntiEntropy(
            channel,
            channelBytes,
            buffer,
            codec,
            scheduler,
            new SplittableRandom(random.nextLong()),
            validator,
            metrics,
            this::accept,
            config.stateCheckInterval(),
            config.stateResponseTimeout(),
            batch,
            config.stateMaxRetries(),
            inFlight);
    this.committer =
        new Committer(
            channel.name(),
            ledger,
            buffer,
            metrics,
            height,
            scheduler.clock(),
            b.committer != null ? b.committer : scheduler,
            b.checkHashChain,
            () -> stopped,
            this::committed,
            this::afterCommits);
  }

  /** A block reached the ledger: the leader pushes the ordering service's blocks. */
  private void committed(Committer.Entry entry) {
    if (entry.via() == Via.ORDERER && leader.get()) {
      gossip.gossip(entry.block());
    }
    try {
      onCommit.accept(entry.block());
    } catch (RuntimeException e) {
      log.warn(
          "channel {}: the commit listener failed on block {}",
          channel.name(),
          entry.block().number(),
          e);
    }
  }

  /** Blocks reached the ledger: publish the height and refill the anti-entropy pipeline. */
  private void afterCommits() {
    channel.setLedgerHeight(height.get());
    if (config.stateEnabled()) {
      antiEntropy.fill();
    }
  }

  /** A builder; channel, ledger, validator, scheduler, config, meter registry, random required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Subscribes to the channel, publishes our height, starts the block pull and (if {@code
   * state.enabled}) anti-entropy.
   *
   * @throws IllegalStateException if already started or closed
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException("state transfer of " + channel.name() + " already started");
    }
    started = true;
    channel.setLedgerHeight(height.get());
    subscription = channel.subscribe(this::onMessage);
    gossip.start();
    if (config.stateEnabled()) {
      antiEntropy.start();
    }
  }

  /** Stops every timer and unsubscribes; blocks still buffered are dropped. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      stopped = true;
      if (subscription != null) {
        subscription.close();
      }
    }
    antiEntropy.stop();
    gossip.stop();
    buffer.clear();
  }

  /** The channel's name. */
  public String channel() {
    return channel.name();
  }

  /** Our committed ledger height on the channel. */
  public long height() {
    return height.get();
  }

  /** How many blocks wait in the payload buffer. */
  public int buffered() {
    return buffer.size();
  }

  /** Makes this peer its organisation's leader on the channel, or not. */
  public void setLeader(boolean leader) {
    this.leader.set(leader);
  }

  /** True while this peer is the leader (it pushes the ordering service's blocks). */
  public boolean isLeader() {
    return leader.get();
  }

  /**
   * Hands over a block from the ordering service (trusted: its source verified it), waiting up to
   * {@code timeout} for room in the payload buffer. Must not be called from the scheduler or a
   * network handler. The block is committed in its turn and, while {@link #isLeader}, then pushed.
   *
   * @return true if the block was taken; false if it was already committed or buffered, the buffer
   *     stayed full for {@code timeout}, or this is closed
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean deliverFromOrderer(Block block, Duration timeout) throws InterruptedException {
    requireNonNull(block, "block");
    if (stopped) {
      return false;
    }
    Result r = buffer.add(block.number(), new Committer.Entry(block, Via.ORDERER), timeout);
    if (r != Result.ADDED) {
      return false;
    }
    metrics.received(Via.ORDERER);
    committer.schedule();
    return true;
  }

  /** Runs an anti-entropy check now (as the {@code checkInterval} timer does). */
  public void checkNow() {
    antiEntropy.check();
  }

  // ---- receiving ----

  private void onMessage(ReceivedMessage m) {
    try {
      if (BlockGossip.handles(m)) {
        gossip.onMessage(m);
      } else {
        switch (m.contentCase()) {
          case STATE_REQUEST -> server.onRequest(m);
          case STATE_RESPONSE -> antiEntropy.onResponse(m);
          default -> {
            // Other channel messages (leadership) are not ours.
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn("channel {}: failed to handle {}: {}", channel.name(), m, e.toString());
    }
  }

  /** A pushed block was beyond the buffer: ask its sender for the blocks we miss. */
  private void gapAt(PkiId sender) {
    if (config.stateEnabled()) {
      antiEntropy.repairFrom(sender);
    }
  }

  /** A pushed block arrived out of order: if the gap is still there shortly, ask its sender. */
  private void gapSuspected(PkiId sender) {
    if (config.stateEnabled()) {
      antiEntropy.gapSuspected(sender);
    }
  }

  /** A verified block from the network (or our own): into the buffer, committed in its turn. */
  @CanIgnoreReturnValue
  private Result accept(Block block, Via via) {
    Committer.Entry entry = new Committer.Entry(block, via);
    Result r =
        via == Via.STATE_TRANSFER
            ? buffer.offerWithinCapacity(block.number(), entry)
            : buffer.offer(block.number(), entry);
    switch (r) {
      case ADDED -> {
        metrics.received(via);
        committer.schedule();
      }
      case TOO_FAR -> {
        metrics.drop(
            Drop.BEYOND_BUFFER,
            log,
            "channel "
                + channel.name()
                + ": block "
                + block.number()
                + " is beyond the buffer (height "
                + buffer.next()
                + ")");
        if (config.stateEnabled() && via != Via.PUSH) {
          antiEntropy.behind();
        }
      }
      case DUPLICATE, TIMED_OUT -> {
        // Already committed or buffered: the normal fate of a second copy.
      }
    }
    return r;
  }

  @Override
  public String toString() {
    return "StateTransfer{" + channel.name() + ", height=" + height.get() + ", " + buffer + "}";
  }

  /** Builds a {@link StateTransfer}. Not thread-safe. */
  public static final class Builder {
    private @Nullable StateChannel channel;
    private @Nullable LedgerStore ledger;
    private @Nullable BlockValidator validator;
    private @Nullable Scheduler scheduler;
    private @Nullable GossipConfig config;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable RandomGenerator random;
    private @Nullable WireCodec codec;
    private @Nullable Executor committer;
    private int maxRequestsInFlight;
    private boolean checkHashChain = true;
    private Consumer<Block> onCommit = block -> {};

    private Builder() {}

    /** The channel the blocks travel on. Required. */
    @CanIgnoreReturnValue
    public Builder channel(StateChannel channel) {
      this.channel = requireNonNull(channel, "channel");
      return this;
    }

    /** The channel's ledger; its height is where the buffer starts. Required. */
    @CanIgnoreReturnValue
    public Builder ledger(LedgerStore ledger) {
      this.ledger = requireNonNull(ledger, "ledger");
      return this;
    }

    /** Verifies every block received from another peer. Required. */
    @CanIgnoreReturnValue
    public Builder validator(BlockValidator validator) {
      this.validator = requireNonNull(validator, "validator");
      return this;
    }

    /** The scheduler of the timers, the emitter and (by default) the commits. Required. */
    @CanIgnoreReturnValue
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The {@code state.*}, pull and push settings. Required. */
    @CanIgnoreReturnValue
    public Builder config(GossipConfig config) {
      this.config = requireNonNull(config, "config");
      return this;
    }

    /** Where the meters go. Required. */
    @CanIgnoreReturnValue
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "registry");
      return this;
    }

    /** The source of every random choice; seed it for reproducible runs. Required. */
    @CanIgnoreReturnValue
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** The codec of the frames sent (default: one with the default frame limit). */
    @CanIgnoreReturnValue
    public Builder codec(WireCodec codec) {
      this.codec = requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Where ledger appends run (default: the scheduler). Must run tasks one at a time or the
     * commits serialise on a lock.
     */
    @CanIgnoreReturnValue
    public Builder committer(Executor committer) {
      this.committer = requireNonNull(committer, "committer");
      return this;
    }

    /**
     * The most anti-entropy requests in flight at once (default: the buffer's capacity divided by
     * {@code state.batchSize}, rounded up).
     *
     * @throws IllegalArgumentException if not positive
     */
    @CanIgnoreReturnValue
    public Builder maxRequestsInFlight(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxRequestsInFlight must be positive, was " + max);
      }
      this.maxRequestsInFlight = max;
      return this;
    }

    /**
     * Whether a block is committed only if its {@code previous_hash} is the header hash of the
     * block before it (default true); a block that breaks the chain is dropped and counted ({@code
     * broken_chain}) and fetched again.
     */
    @CanIgnoreReturnValue
    public Builder checkHashChain(boolean check) {
      this.checkHashChain = check;
      return this;
    }

    /**
     * Called with each block once it is in the ledger, in order, on the committer's thread (see
     * {@link #committer}); it should return quickly. An exception it throws is logged and ignored.
     * Default: nothing.
     */
    @CanIgnoreReturnValue
    public Builder onCommit(Consumer<Block> listener) {
      this.onCommit = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The state transfer, not started.
     *
     * @throws NullPointerException if a required setting is missing
     */
    public StateTransfer build() {
      return new StateTransfer(this);
    }
  }
}
