package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.channel.ChannelRouter;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ConnectionEvent;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.store.MessageStore;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.Msp;

/**
 * The channels this peer joined (Fabric's {@code channelState}): {@link #join} makes and starts a
 * {@link GossipChannel}, {@link #leave} makes it publish {@code left_channel} and stop. One {@link
 * ChannelRouter} on the comm hands each channel its messages; messages of channels not joined are
 * dropped and counted there ({@value ChannelRouter#DROPPED_COUNTER}).
 *
 * <p><b>Identities.</b> A state info is verified against the identity of the peer it speaks for,
 * found by {@link Builder#identities} (for example the discovery's identity store); by default, the
 * identity the peer proved in a handshake with this peer (the last {@value #MAX_IDENTITIES} peers
 * that connected are remembered). A state info of a peer never connected to is therefore refused by
 * default until a connection to it exists, and learnt at the next pull.
 *
 * <p><b>Threading.</b> Thread-safe. Arguments must not be null ({@link NullPointerException}).
 */
public final class GossipChannels implements AutoCloseable {

  /**
   * Counter of channel messages refused by a channel, tagged {@code reason}: {@code
   * sender_not_in_channel}, {@code malformed}, {@code wrong_mac}, {@code unknown_identity}, {@code
   * org_not_in_channel}, {@code bad_signature}, {@code unhandled}.
   */
  public static final String REJECTED_COUNTER = "gossip_channel_rejected_total";

  /** How many handshake identities the default identity source remembers. */
  public static final int MAX_IDENTITIES = 10_000;

  private final ChannelContext ctx;
  private final Subscription connections;

  @GuardedBy("handshakes")
  private final LinkedHashMap<PkiId, Identity> handshakes =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PkiId, Identity> eldest) {
          return size() > MAX_IDENTITIES;
        }
      };

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Map<String, GossipChannel> channels = new LinkedHashMap<>();

  @GuardedBy("lock")
  private boolean closed;

  private GossipChannels(Builder b) {
    Comm comm = requireNonNull(b.comm, "comm");
    Msp msp = requireNonNull(b.msp, "msp");
    Scheduler scheduler = requireNonNull(b.scheduler, "scheduler");
    GossipConfig config = requireNonNull(b.config, "config");
    MeterRegistry registry = requireNonNull(b.meterRegistry, "meterRegistry");
    Identity local = msp.localIdentity();
    Function<PkiId, Optional<Identity>> identities =
        b.identities != null ? b.identities : this::handshakeIdentity;
    Instant now = scheduler.clock().instant();
    long incNum =
        b.incNum != null ? b.incNum : now.getEpochSecond() * 1_000_000_000L + now.getNano();
    this.ctx =
        new ChannelContext(
            comm,
            msp,
            local.pkiId(),
            local.mspId(),
            b.externalEndpoint != null ? b.externalEndpoint : config.externalEndpoint().isPresent(),
            requireNonNull(b.view, "view"),
            scheduler,
            config,
            registry,
            b.codec != null ? b.codec : new WireCodec(WireCodec.DEFAULT_MAX_FRAME_SIZE, registry),
            identities,
            requireNonNull(b.random, "random"),
            new AtomicLong(),
            incNum,
            new ChannelRejections(registry),
            ChannelRouter.subscribe(comm, registry),
            b.maxStateInfos);
    this.connections = comm.subscribeConnections(this::onConnection);
  }

  /** A builder; comm, msp, view, scheduler, config, meter registry and random are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Joins {@code channel} with the organisations {@code orgs} (their MSP ids): starts publishing
   * and pulling state info for it.
   *
   * @return the channel, started
   * @throws IllegalArgumentException if the name is empty
   * @throws IllegalStateException if the channel is already joined, or this is closed
   */
  @CanIgnoreReturnValue
  public GossipChannel join(String channel, Set<String> orgs) {
    requireNonNull(channel, "channel");
    ImmutableSet<String> members = ImmutableSet.copyOf(orgs);
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("a channel name cannot be empty");
    }
    GossipChannel joined;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("channels of " + ctx.self() + " are closed");
      }
      if (channels.containsKey(channel)) {
        throw new IllegalStateException("channel " + channel + " is already joined");
      }
      joined = new GossipChannel(channel, members, ctx);
      channels.put(channel, joined);
      joined.start();
    }
    return joined;
  }

  /**
   * Leaves {@code channel}: publishes a state info with {@code left_channel = true}, then drops the
   * channel's messages and stops answering its pulls.
   *
   * @return false if the channel was not joined
   */
  @CanIgnoreReturnValue
  public boolean leave(String channel) {
    requireNonNull(channel, "channel");
    GossipChannel gone;
    synchronized (lock) {
      gone = channels.remove(channel);
    }
    if (gone == null) {
      return false;
    }
    gone.leave();
    return true;
  }

  /** The joined channel {@code name}, if any. */
  public Optional<GossipChannel> channel(String name) {
    requireNonNull(name, "name");
    synchronized (lock) {
      return Optional.ofNullable(channels.get(name));
    }
  }

  /** The names of the joined channels. */
  public Set<String> channels() {
    synchronized (lock) {
      return ImmutableSet.copyOf(channels.keySet());
    }
  }

  /** The router of this peer's channel messages (its drop counts, the channels it routes). */
  public ChannelRouter router() {
    return ctx.router();
  }

  /** Stops every channel (without publishing that it left) and the router. Idempotent. */
  @Override
  public void close() {
    Set<GossipChannel> all;
    synchronized (lock) {
      closed = true;
      all = ImmutableSet.copyOf(channels.values());
      channels.clear();
    }
    all.forEach(GossipChannel::stop);
    connections.close();
    ctx.router().close();
  }

  private void onConnection(ConnectionEvent event) {
    if (event.type() == ConnectionEvent.Type.OPENED) {
      AuthenticatedPeer peer = event.peer();
      synchronized (handshakes) {
        handshakes.put(peer.pkiId(), peer.identity());
      }
    }
  }

  private Optional<Identity> handshakeIdentity(PkiId peer) {
    synchronized (handshakes) {
      Identity known = handshakes.get(peer);
      if (known != null) {
        return Optional.of(known);
      }
    }
    return ctx.comm().connection(peer).map(AuthenticatedPeer::identity);
  }

  @Override
  public String toString() {
    return "GossipChannels{self=" + ctx.self() + ", channels=" + channels() + "}";
  }

  /** Builds {@link GossipChannels}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Comm comm;
    private @Nullable Msp msp;
    private @Nullable MembershipView view;
    private @Nullable Scheduler scheduler;
    private @Nullable GossipConfig config;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable RandomGenerator random;
    private @Nullable WireCodec codec;
    private @Nullable Function<PkiId, Optional<Identity>> identities;
    private @Nullable Boolean externalEndpoint;
    private @Nullable Long incNum;
    private int maxStateInfos = MessageStore.DEFAULT_MAX_SIZE;

    private Builder() {}

    /** The started comm the channels' messages go through. Required. */
    @CanIgnoreReturnValue
    public Builder comm(Comm comm) {
      this.comm = requireNonNull(comm, "comm");
      return this;
    }

    /** The local MSP, which signs our state infos. Required. */
    @CanIgnoreReturnValue
    public Builder msp(Msp msp) {
      this.msp = requireNonNull(msp, "msp");
      return this;
    }

    /** The membership view channel members are taken from (a {@link Discovery}'s). Required. */
    @CanIgnoreReturnValue
    public Builder view(MembershipView view) {
      this.view = requireNonNull(view, "view");
      return this;
    }

    /** The scheduler of the publish and pull timers and of the emitters. Required. */
    @CanIgnoreReturnValue
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The state-info intervals, peer numbers and burst settings. Required. */
    @CanIgnoreReturnValue
    public Builder config(GossipConfig config) {
      this.config = requireNonNull(config, "config");
      return this;
    }

    /** Where the counters go. Required. */
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

    /** The codec of snapshots and sent frames (default: one with the default limit). */
    @CanIgnoreReturnValue
    public Builder codec(WireCodec codec) {
      this.codec = requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Where the identity of a state info's peer is found (default: the handshakes, see the class
     * documentation). The function must be thread-safe, fast, and return only validated identities.
     */
    @CanIgnoreReturnValue
    public Builder identities(Function<PkiId, Optional<Identity>> identities) {
      this.identities = requireNonNull(identities, "identities");
      return this;
    }

    /**
     * Whether this peer has an external endpoint, so that its state info may go to other
     * organisations (default: whether {@link GossipConfig#externalEndpoint()} is set).
     */
    @CanIgnoreReturnValue
    public Builder externalEndpoint(boolean hasExternalEndpoint) {
      this.externalEndpoint = hasExternalEndpoint;
      return this;
    }

    /** The {@code inc_num} of our state infos (default: the scheduler clock's time in ns). */
    @CanIgnoreReturnValue
    public Builder incNum(long incNum) {
      this.incNum = incNum;
      return this;
    }

    /**
     * The most state infos each channel holds (default {@value MessageStore#DEFAULT_MAX_SIZE}).
     *
     * @throws IllegalArgumentException if not positive
     */
    @CanIgnoreReturnValue
    public Builder maxStateInfos(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxStateInfos must be positive, was " + max);
      }
      this.maxStateInfos = max;
      return this;
    }

    /**
     * The channels, none joined yet; the router subscribes to the comm at once.
     *
     * @throws NullPointerException if a required setting is missing
     */
    public GossipChannels build() {
      return new GossipChannels(this);
    }
  }
}
