package org.ledgergossip.membership;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.RandomPeers;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ConnectionEvent;
import org.ledgergossip.core.internal.comm.MessageDeduplicator;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.emitter.BatchingEmitter;
import org.ledgergossip.core.internal.identity.IdentityMapper;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Msp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's discovery protocol over a {@link Comm}: it keeps a {@link MembershipView} of the network
 * up to date with signed alive messages, membership requests and responses.
 *
 * <p><b>Protocol.</b> {@link #start()} probes every bootstrap endpoint and anchor peer, then
 * connects to those of the right organisation (see {@link PeerDialer}: a bootstrap peer of another
 * organisation is refused; a foreign anchor peer is skipped by a peer without external endpoint),
 * retried every {@code reconnectInterval} until connected. A {@code MembershipRequest} carrying our
 * signed alive message goes to a bootstrap or anchor peer when a dial reaches it, to a dead peer
 * when a re-dial reaches it, and to {@code pullPeerNum} random peers every {@code pullInterval} (as
 * in Fabric, not on every connection: other peers are learnt from forwarded alive messages); a peer
 * we dial because we learnt of it gets our latest alive message at once (as the disclosure policy
 * allows), so that it learns of us too. The receiver of a request drops (and counts in {@value
 * #SPOOFED_COUNTER}) one whose alive message names another PKI-ID than the connection's, otherwise
 * learns the requester and answers with a {@code MembershipResponse} of the alive and dead messages
 * it knows, filtered by the {@link DisclosurePolicy}, plus its own. Every {@code aliveTimeInterval}
 * a new alive message (next {@code seq_num}; identity included only during {@code
 * publishCertPeriod} after start) is pushed through a {@link BatchingEmitter} to {@code
 * propagatePeerNum} random alive connected peers that {@link DisclosurePolicy#decideForward} allows
 * (secret envelope stripped for other organisations). A received alive message is deduplicated
 * ({@link MessageDeduplicator}) before it is verified ({@link AliveMessages#verify}), then applied
 * to the view; a fresh one (newer than any seen from its peer), whether pushed or carried by a
 * membership request or response, is forwarded as received (never re-signed), never back to the
 * peer it came from. A peer the view learns and we have no connection to is dialled at its internal
 * endpoint, else its external one; dead peers (and alive peers without a connection) are re-dialled
 * every {@code reconnectInterval}. A peer is dead after {@code aliveExpirationTimeout} without a
 * newer alive message, or at once when its connection closed and no new one replaced it within
 * {@code connTimeout} (Fabric's "presumed dead"; counted in {@value #PRESUMED_DEAD_COUNTER}). The
 * connection of a peer declared dead is closed (as Fabric does), so that a connection a black-hole
 * partition left open and silent does not keep the peer from being dialled again.
 *
 * <p><b>Identities.</b> Signers are kept in an {@link IdentityMapper}; every peer's signed identity
 * message is pulled every {@code pullInterval} ({@link IdentityPull}), so a peer that joins after
 * {@code publishCertPeriod} still learns the others. When the mapper removes an identity (expired,
 * or revoked: {@link Msp#reload()} then {@link #revalidateIdentities()}), the peer is forgotten
 * everywhere and its connection closed ({@link IdentityPurge}).
 *
 * <p><b>Limits.</b> Dead messages of a response only teach peers the view does not know yet (they
 * join and are marked dead at once).
 *
 * <p><b>Threading.</b> Thread-safe. Handlers run on the comm's callback threads and timers on the
 * scheduler; shared state is in concurrent maps. {@link #start()} once, then {@link #stop()}.
 *
 * <p><b>Nullability and errors.</b> Arguments must not be null ({@link NullPointerException}); no
 * method returns null. Malformed or forged input from the network is dropped, counted and logged at
 * debug level, never thrown.
 */
public final class Discovery implements AutoCloseable {

  /** The counter of membership requests whose alive message is not the connection's peer's. */
  public static final String SPOOFED_COUNTER = "gossip_membership_spoofed_requests_total";

  /** The counter of peers marked dead at once because their connection closed. */
  public static final String PRESUMED_DEAD_COUNTER = "gossip_membership_presumed_dead_total";

  /** The counter of membership messages whose embedded envelopes do not decode. */
  public static final String MALFORMED_COUNTER = "gossip_membership_malformed_total";

  private static final Logger log = LoggerFactory.getLogger(Discovery.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final Comm comm;
  private final Msp msp;
  private final MembershipView view;
  private final boolean ownsView;
  private final Scheduler scheduler;
  private final GossipConfig config;

  private final WireCodec codec;
  private final AliveMessages aliveMessages;
  private final BatchingEmitter<AliveEmission, PkiId> emitter;
  private final AliveIntake intake;
  private final MembershipExchange exchange;
  private final RandomGenerator random;
  private final PkiId self;
  private final Member selfMember;
  private final PeerDialer dialer;
  private final IdentityMapper identities;
  private final boolean ownsIdentities;
  private final IdentityPull identityPull;
  private final IdentityPurge identityPurge;

  private final Counter presumedDead;
  private final AtomicLong seq = new AtomicLong();
  private volatile Bytes metadata;
  private volatile @Nullable Envelope ownAlive;
  private volatile long startNanos;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private State state = State.NEW;

  @GuardedBy("lock")
  private final List<Cancellable> timers = new ArrayList<>();

  @GuardedBy("lock")
  private final List<Subscription> subscriptions = new ArrayList<>();

  @GuardedBy("lock")
  private @Nullable Runnable viewListener;

  @GuardedBy("lock")
  private @Nullable Runnable purgeListener;

  private Discovery(Builder b) {
    this.comm = requireNonNull(b.comm, "comm");
    this.msp = requireNonNull(b.msp, "msp");
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    this.config = requireNonNull(b.config, "config");
    MeterRegistry registry = requireNonNull(b.meterRegistry, "meterRegistry");
    this.random = requireNonNull(b.random, "random");
    this.presumedDead =
        Counter.builder(PRESUMED_DEAD_COUNTER)
            .description("Peers marked dead at once because their connection closed")
            .register(registry);
    this.self = msp.localIdentity().pkiId();
    Optional<Endpoint> external =
        b.external != null ? Optional.of(b.external) : config.externalEndpoint();
    Optional<Endpoint> internal = b.internal != null ? Optional.of(b.internal) : config.endpoint();
    List<Endpoint> bootstrap = List.copyOf(b.bootstrap != null ? b.bootstrap : config.bootstrap());
    this.selfMember =
        new Member(
            self,
            msp.localIdentity().mspId(),
            external,
            internal,
            b.metadata,
            new PeerTime(b.incNum, 0));
    Set<Endpoint> own = new HashSet<>();
    external.ifPresent(own::add);
    internal.ifPresent(own::add);
    this.metadata = b.metadata;
    this.dialer =
        new PeerDialer(
            comm,
            own,
            bootstrap,
            selfMember.mspId(),
            external.isPresent(),
            this::running,
            this::introduce,
            this::greet);
    this.codec =
        b.codec != null ? b.codec : new WireCodec(WireCodec.DEFAULT_MAX_FRAME_SIZE, registry);
    this.ownsView = b.view == null;
    this.view =
        b.view != null
            ? b.view
            : MembershipView.builder()
                .scheduler(scheduler)
                .meterRegistry(registry)
                .aliveExpirationTimeout(config.aliveExpirationTimeout())
                .msgExpirationFactor(config.msgExpirationFactor())
                .neverPurge(Set.copyOf(bootstrap))
                .self(self)
                .build();
    b.anchors.forEach(
        (mspId, endpoints) -> view.addNeverPurge(dialer.addAnchors(mspId, endpoints)));
    this.ownsIdentities = b.identities == null;
    this.identities =
        b.identities != null ? b.identities : IdentityMapper.builder(msp, scheduler).build();
    this.aliveMessages = new AliveMessages(msp, registry);
    AlivePush push = new AlivePush(comm, view, codec, selfMember.mspId());
    this.emitter =
        BatchingEmitter.<AliveEmission, PkiId>builder(push::targets, push::emit, scheduler)
            .config(config)
            .random(new SplittableRandom(random.nextLong()))
            .meterRegistry(registry)
            .name("alive")
            .build();
    this.intake =
        new AliveIntake(
            comm,
            new MessageDeduplicator(
                100_000, config.aliveExpirationTimeout(), scheduler.clock(), registry),
            aliveMessages,
            view,
            emitter,
            identities);
    this.exchange =
        new MembershipExchange(
            comm, codec, intake, view, selfMember, () -> ownAlive, this::running, registry);
    this.identityPull =
        new IdentityPull(
            comm,
            codec,
            msp,
            identities,
            view,
            selfMember,
            this::connectedAlive,
            scheduler,
            config,
            random,
            registry);
    this.identityPurge = new IdentityPurge(comm, view, intake, identityPull, registry);
  }

  /** A builder; comm, msp, scheduler, config, meter registry and random are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts: subscribes to the comm, starts the timers and dials the bootstrap endpoints.
   *
   * @throws IllegalStateException if called twice or after {@link #stop()}
   */
  public void start() {
    synchronized (lock) {
      checkState(state == State.NEW, "discovery of %s is %s, cannot start", self, state);
      state = State.RUNNING;
      startNanos = scheduler.clock().nanoTime();
      ownAlive = signAlive();
      subscriptions.add(comm.subscribeConnections(exchange::onConnection));
      subscriptions.add(comm.subscribeConnections(this::onConnectionEvent));
      subscriptions.add(comm.subscribe(Comm.kindIs(ContentCase.ALIVE_MSG), this::onAlive));
      subscriptions.add(comm.subscribe(Comm.kindIs(ContentCase.MEM_REQ), exchange::onRequest));
      subscriptions.add(comm.subscribe(Comm.kindIs(ContentCase.MEM_RES), exchange::onResponse));
      viewListener = view.addListener(this::onViewEvent);
      purgeListener = identities.addListener(identityPurge);
      identityPull.start();
      if (ownsView) {
        view.start();
      }
      Duration alive = config.aliveTimeInterval();
      Duration pull = config.pullInterval();
      Duration reconnect = config.reconnectInterval();
      timers.add(scheduler.scheduleAtFixedRate(this::publishAlive, alive, alive));
      timers.add(scheduler.scheduleAtFixedRate(this::pull, pull, pull));
      timers.add(scheduler.scheduleAtFixedRate(this::reconnect, reconnect, reconnect));
    }
    dialer.dialBootstrap();
    dialer.dialAnchors();
  }

  /** Stops the timers, the emitter and the subscriptions (and the view, if built here). */
  public void stop() {
    synchronized (lock) {
      if (state == State.STOPPED) {
        return;
      }
      state = State.STOPPED;
      timers.forEach(Cancellable::cancel);
      timers.clear();
      subscriptions.forEach(Subscription::close);
      subscriptions.clear();
      if (viewListener != null) {
        viewListener.run();
        viewListener = null;
      }
      if (purgeListener != null) {
        purgeListener.run();
        purgeListener = null;
      }
    }
    identityPull.stop();
    if (ownsIdentities) {
      identities.close();
    }
    emitter.stop();
    if (ownsView) {
      view.close();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** The view this discovery maintains. */
  public MembershipView view() {
    return view;
  }

  /** The identities of the peers this discovery knows (given to the builder, or its own). */
  public IdentityMapper identities() {
    return identities;
  }

  /**
   * Validates every known identity again (call it after {@link Msp#reload()}, which applies new
   * CRLs): a peer whose identity is now rejected is forgotten by the view and disconnected.
   *
   * @return how many identities were removed
   */
  @CanIgnoreReturnValue
  public int revalidateIdentities() {
    return identities.revalidateAll();
  }

  /** This peer's PKI-ID. */
  public PkiId self() {
    return self;
  }

  /**
   * Changes the metadata of our alive messages: the next one signed (every {@code
   * aliveTimeInterval}) carries it, and peers that see it report {@link
   * org.ledgergossip.api.MembershipEvent.Type#UPDATED}.
   */
  public void updateMetadata(Bytes metadata) {
    this.metadata = requireNonNull(metadata, "metadata");
  }

  /** The metadata our alive messages carry (the latest given to {@link #updateMetadata}). */
  public Bytes metadata() {
    return metadata;
  }

  /**
   * Adds anchor peers of organisation {@code mspId} (as a channel's configuration names them): each
   * is probed and, if the peer answering there is of {@code mspId}, connected to and sent a
   * membership request; unconnected ones are dialled again every {@code reconnectInterval}, and
   * none is ever purged from the view. Anchor peers of another organisation are skipped if we have
   * no external endpoint (a peer without one stays invisible to other organisations). May be called
   * before or after {@link #start()}, from any thread; endpoints already added are ignored.
   */
  public void addAnchorPeers(String mspId, Collection<Endpoint> endpoints) {
    requireNonNull(mspId, "mspId");
    List<Endpoint> copy = List.copyOf(endpoints);
    view.addNeverPurge(dialer.addAnchors(mspId, copy));
  }

  private boolean running() {
    synchronized (lock) {
      return state == State.RUNNING;
    }
  }

  // ---- alive messages ----

  private Envelope signAlive() {
    boolean withIdentity =
        scheduler.clock().nanoTime() - startNanos < config.publishCertPeriod().toNanos();
    AliveRecord record =
        new AliveRecord(
            self,
            selfMember.externalEndpoint(),
            selfMember.internalEndpoint(),
            metadata,
            new PeerTime(selfMember.lastSeen().incNum(), seq.incrementAndGet()),
            withIdentity ? Optional.of(msp.localIdentity().serialized()) : Optional.empty());
    return aliveMessages.sign(record);
  }

  private void publishAlive() {
    if (!running()) {
      return;
    }
    Envelope envelope = signAlive();
    ownAlive = envelope;
    encode(envelope)
        .ifPresent(
            frame ->
                emitter.add(
                    new AliveEmission(
                        frame,
                        envelope,
                        selfMember.mspId(),
                        selfMember.externalEndpoint().isPresent()),
                    null));
  }

  private void onAlive(ReceivedMessage m) {
    intake.alive(m.envelope(), m.senderPkiId());
  }

  // ---- periodic sync, dialling ----

  private void pull() {
    if (!running()) {
      return;
    }
    RandomPeers.choose(connectedAlive(), config.pullPeerNum(), random)
        .forEach(exchange::sendRequest);
  }

  private void introduce(PkiId peer) {
    exchange.sendRequest(peer);
  }

  private void greet(PkiId peer) {
    exchange.sendAlive(peer);
  }

  /**
   * Dials a peer that joined or came back (see {@link PeerDialer#onViewEvent}); closes the
   * connection of a peer declared dead, as Fabric's {@code expireDeadMembers} does, if it is still
   * dead when the event is handled. A connection that outlived its peer's alive messages is silent
   * (a black-hole partition, a hung process): while it stays open the reconnect round does not dial
   * the peer, so after the partition heals nothing would bring the peer back. Closed, the peer is
   * dialled every reconnect round and a dial that gets through sends it a membership request.
   */
  private void onViewEvent(MembershipEvent event) {
    dialer.onViewEvent(event);
    PkiId peer = event.member().pkiId();
    if (event.type() == MembershipEvent.Type.DEAD
        && running()
        && !view.isAlive(peer)
        && comm.connectedFor(peer)
            .filter(age -> age.compareTo(config.aliveExpirationTimeout()) >= 0)
            .isPresent()) {
      // Only a connection open for a whole expiration can be the silent link of an expired peer;
      // a younger one just carried a handshake (the peer came back, or reached us while a
      // membership response still called it dead) and is kept.
      comm.connection(peer)
          .ifPresent(
              connected -> {
                log.debug("Closing the connection to {}: it is dead", peer);
                connected.connection().close();
              });
    }
  }

  /**
   * Fabric's "presumed dead": a peer whose connection closed, and which has no connection again
   * after {@code connTimeout} (long enough for a connection of the other direction whose handshake
   * was under way to replace it), is marked dead at once instead of after {@code
   * aliveExpirationTimeout}. Its next newer alive message brings it back; meanwhile it is
   * re-dialled every reconnect round.
   */
  private void onConnectionEvent(ConnectionEvent event) {
    if (event.type() != ConnectionEvent.Type.CLOSED || event.peer().probe() || !running()) {
      return;
    }
    PkiId peer = event.peer().pkiId();
    Cancellable unused =
        scheduler.schedule(
            () -> {
              if (running() && comm.connection(peer).isEmpty() && view.markDead(peer)) {
                presumedDead.increment();
                log.debug("{} presumed dead: its connection closed and none replaced it", peer);
              }
            },
            config.connTimeout());
  }

  private void reconnect() {
    if (running()) {
      dialer.reconnect(view);
    }
  }

  // ---- helpers ----

  private List<PkiId> connectedAlive() {
    List<PkiId> out = new ArrayList<>();
    for (Member member : view.alive()) {
      if (comm.connection(member.pkiId()).isPresent()) {
        out.add(member.pkiId());
      }
    }
    return out;
  }

  private Optional<byte[]> encode(Envelope envelope) {
    try {
      return Optional.of(codec.encode(envelope));
    } catch (MalformedMessageException e) {
      log.warn("Cannot send an envelope: {}", e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "Discovery{self=" + self + ", " + view + "}";
  }

  /** Builds a {@link Discovery}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Comm comm;
    private @Nullable Msp msp;
    private @Nullable MembershipView view;
    private @Nullable Scheduler scheduler;
    private @Nullable GossipConfig config;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable RandomGenerator random;
    private @Nullable WireCodec codec;
    private @Nullable Endpoint external;
    private @Nullable Endpoint internal;
    private Bytes metadata = Bytes.EMPTY;
    private long incNum;
    private @Nullable List<Endpoint> bootstrap;
    private final Map<String, List<Endpoint>> anchors = new LinkedHashMap<>();
    private @Nullable IdentityMapper identities;

    private Builder() {}

    /**
     * The identity mapper to share with the rest of the node (which closes it); by default the
     * discovery builds one on its MSP and scheduler and closes it on {@link Discovery#stop()}.
     */
    @CanIgnoreReturnValue
    public Builder identityMapper(IdentityMapper identities) {
      this.identities = requireNonNull(identities, "identities");
      return this;
    }

    /** The started comm messages go through. Required. */
    @CanIgnoreReturnValue
    public Builder comm(Comm comm) {
      this.comm = requireNonNull(comm, "comm");
      return this;
    }

    /** The local MSP, which signs our alive messages and validates carried identities. Required. */
    @CanIgnoreReturnValue
    public Builder msp(Msp msp) {
      this.msp = requireNonNull(msp, "msp");
      return this;
    }

    /**
     * The view to maintain, started and closed by its owner; by default one is built from the
     * config (with the bootstrap endpoints never purged), started and closed by the discovery.
     */
    @CanIgnoreReturnValue
    public Builder view(MembershipView view) {
      this.view = requireNonNull(view, "view");
      return this;
    }

    /** The scheduler of the timers and the emitter; its clock stamps everything. Required. */
    @CanIgnoreReturnValue
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The intervals, peer numbers and burst settings, and the default endpoints. Required. */
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

    /** The codec of embedded envelopes and sent frames (default: one with the default limit). */
    @CanIgnoreReturnValue
    public Builder codec(WireCodec codec) {
      this.codec = requireNonNull(codec, "codec");
      return this;
    }

    /** Our external endpoint (default {@link GossipConfig#externalEndpoint()}). */
    @CanIgnoreReturnValue
    public Builder externalEndpoint(Endpoint endpoint) {
      this.external = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Our internal endpoint (default {@link GossipConfig#endpoint()}). */
    @CanIgnoreReturnValue
    public Builder internalEndpoint(Endpoint endpoint) {
      this.internal = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The metadata of our alive messages (default empty). */
    @CanIgnoreReturnValue
    public Builder metadata(Bytes metadata) {
      this.metadata = requireNonNull(metadata, "metadata");
      return this;
    }

    /** The {@code inc_num} of our alive messages, normally the process start time (default 0). */
    @CanIgnoreReturnValue
    public Builder incNum(long incNum) {
      this.incNum = incNum;
      return this;
    }

    /** The bootstrap endpoints (default {@link GossipConfig#bootstrap()}). */
    @CanIgnoreReturnValue
    public Builder bootstrap(List<Endpoint> endpoints) {
      this.bootstrap = List.copyOf(endpoints);
      return this;
    }

    /**
     * Anchor peers of organisation {@code mspId}, dialled on start and never purged (see {@link
     * Discovery#addAnchorPeers}); may be called once per organisation, a second call for the same
     * one replaces its list (default none).
     */
    @CanIgnoreReturnValue
    public Builder anchorPeers(String mspId, List<Endpoint> endpoints) {
      this.anchors.put(requireNonNull(mspId, "mspId"), List.copyOf(endpoints));
      return this;
    }

    /**
     * The discovery, not yet started.
     *
     * @throws NullPointerException if a required setting is missing
     */
    public Discovery build() {
      return new Discovery(this);
    }
  }
}
