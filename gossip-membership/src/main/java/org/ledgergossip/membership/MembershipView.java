package org.ledgergossip.membership;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alive/dead state of every peer this peer knows, as Fabric's discovery layer keeps it.
 *
 * <p><b>Alive messages.</b> {@link #onAlive} takes the content of an alive message the caller has
 * already {@linkplain AliveMessages#verify verified}. A stamp ({@code PeerTime}) newer than the
 * last one seen from that PKI-ID refreshes the peer: {@link MembershipEvent.Type#JOINED} the first
 * time, {@link MembershipEvent.Type#ALIVE_AGAIN} if it was dead, {@link
 * MembershipEvent.Type#UPDATED} if its endpoints or metadata changed, no event otherwise. An equal
 * or older stamp (a replay, or a copy that travelled slowly) never changes the view: it is dropped
 * and counted in {@value #STALE_COUNTER}. A message without internal endpoint (stripped by the
 * disclosure policy on its way) keeps the internal endpoint already known.
 *
 * <p><b>Expiry.</b> After {@link #start()}, a check runs on the scheduler every {@code
 * aliveExpirationTimeout / 10}: a peer from which no newer alive message arrived for more than
 * {@code aliveExpirationTimeout} becomes {@link MembershipEvent.Type#DEAD}; a dead peer whose last
 * alive message is older than {@code aliveExpirationTimeout × msgExpirationFactor} is forgotten
 * ({@link MembershipEvent.Type#PURGED}), unless its internal or external endpoint is one of the
 * {@code neverPurge} endpoints (bootstrap peers and anchor peers): those stay known as dead, so
 * that they are still dialled. {@link #markDead} declares a peer dead at once (a send failed);
 * {@link #forget} forgets a peer at once (its identity expired or was revoked).
 *
 * <p><b>Bound.</b> At most {@code maxMembers} peers, alive or dead, are known; an alive message
 * from a new peer beyond that is refused and counted in {@value #REFUSED_COUNTER}. The gauge
 * {@value #KNOWN_GAUGE} reports how many peers are known.
 *
 * <p><b>Threading.</b> Every method may be called from any thread; the state is guarded by one
 * private lock, held only for map updates. Listeners are called outside that lock, one event at a
 * time, in the order the changes happened: events are queued under the lock and delivered by
 * whichever calling thread (or scheduler task) finds no delivery in progress, so a listener may be
 * called on another thread than the one whose call caused its event, and may call back into the
 * view. A listener that throws is logged and the others still get the event. Undelivered events are
 * held in a queue bounded to {@value #MAX_PENDING_EVENTS} (only a listener that blocks can fill
 * it); beyond that, events are dropped and counted in {@value #DROPPED_EVENTS_COUNTER}.
 *
 * <p>Arguments must not be null ({@link NullPointerException}); no method returns null.
 */
public final class MembershipView implements AutoCloseable {

  /** The counter of alive messages with an equal or older stamp than the last one seen. */
  public static final String STALE_COUNTER = "gossip_membership_stale_alive_total";

  /** The counter of new peers refused because {@code maxMembers} peers were known. */
  public static final String REFUSED_COUNTER = "gossip_membership_refused_peers_total";

  /** The counter of events dropped because listeners fell behind. */
  public static final String DROPPED_EVENTS_COUNTER = "gossip_membership_events_dropped_total";

  /** The gauge of known peers, alive and dead. */
  public static final String KNOWN_GAUGE = "gossip_membership_total_peers_known";

  /** The most events held for listeners before new ones are dropped. */
  public static final int MAX_PENDING_EVENTS = 100_000;

  private static final Logger log = LoggerFactory.getLogger(MembershipView.class);

  /** What {@link #onAlive} did with an alive message. */
  public enum Outcome {
    /** A new peer: {@link MembershipEvent.Type#JOINED}. */
    JOINED,
    /** Newer stamp, changed endpoints or metadata: {@link MembershipEvent.Type#UPDATED}. */
    UPDATED,
    /** Newer stamp, nothing else changed: no event. */
    REFRESHED,
    /** Newer stamp from a dead peer: {@link MembershipEvent.Type#ALIVE_AGAIN}. */
    ALIVE_AGAIN,
    /** Equal or older stamp: dropped and counted, the view is unchanged. */
    STALE,
    /** A new peer while {@code maxMembers} peers are known: refused and counted. */
    REFUSED_FULL,
    /** The message is about this peer itself: ignored. */
    SELF
  }

  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration aliveExpirationTimeout;
  private final long expirationNanos;
  private final long purgeNanos;
  private final int maxMembers;
  private final Set<Endpoint> neverPurge = ConcurrentHashMap.newKeySet();
  private final Optional<PkiId> self;
  private final Counter stale;
  private final Counter refused;
  private final EventDispatcher events;
  private final AtomicInteger known = new AtomicInteger();

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Map<PkiId, Entry> members = new LinkedHashMap<>();

  @GuardedBy("lock")
  private Optional<Cancellable> check = Optional.empty();

  @GuardedBy("lock")
  private boolean closed;

  /** What is known of one peer. */
  private static final class Entry {
    Member member;
    long lastAliveNanos;
    boolean alive = true;

    Entry(Member member, long lastAliveNanos) {
      this.member = member;
      this.lastAliveNanos = lastAliveNanos;
    }
  }

  private MembershipView(Builder b) {
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    MeterRegistry registry = requireNonNull(b.meterRegistry, "meterRegistry");
    this.clock = scheduler.clock();
    this.aliveExpirationTimeout = b.aliveExpirationTimeout;
    this.expirationNanos = b.aliveExpirationTimeout.toNanos();
    this.purgeNanos = b.aliveExpirationTimeout.multipliedBy(b.msgExpirationFactor).toNanos();
    this.maxMembers = b.maxMembers;
    this.neverPurge.addAll(b.neverPurge);
    this.self = b.self;
    this.stale =
        Counter.builder(STALE_COUNTER)
            .description("Alive messages not newer than the last one seen from their peer")
            .register(registry);
    this.refused =
        Counter.builder(REFUSED_COUNTER)
            .description("New peers refused because the membership view was full")
            .register(registry);
    this.events =
        new EventDispatcher(
            MAX_PENDING_EVENTS,
            Counter.builder(DROPPED_EVENTS_COUNTER)
                .description("Membership events dropped because listeners fell behind")
                .register(registry));
    Gauge.builder(KNOWN_GAUGE, known, AtomicInteger::get)
        .description("Peers known to the membership view, alive and dead")
        .register(registry);
  }

  /** A builder; {@link Builder#scheduler} and {@link Builder#meterRegistry} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the periodic expiry check on the scheduler, every {@code aliveExpirationTimeout / 10}.
   * Idempotent.
   *
   * @throws IllegalStateException if the view is closed
   */
  public void start() {
    synchronized (lock) {
      checkState(!closed, "membership view is closed");
      if (check.isEmpty()) {
        Duration period = aliveExpirationTimeout.dividedBy(10);
        check = Optional.of(scheduler.scheduleAtFixedRate(this::checkAlive, period, period));
      }
    }
  }

  /** Stops the periodic check; the view stays readable and updatable. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      check.ifPresent(Cancellable::cancel);
      check = Optional.empty();
    }
  }

  /**
   * Adds endpoints whose peers are never purged (anchor peers learnt at run time, for example):
   * from the next expiry check on, a dead peer with one of them as internal or external endpoint
   * stays known as dead. Idempotent; endpoints are never removed.
   */
  public void addNeverPurge(Collection<Endpoint> endpoints) {
    requireNonNull(endpoints, "endpoints")
        .forEach(e -> neverPurge.add(requireNonNull(e, "endpoint")));
  }

  /**
   * Registers {@code listener} for every event from now on.
   *
   * @return a handle that unregisters it
   */
  public Runnable addListener(Consumer<MembershipEvent> listener) {
    return events.addListener(listener);
  }

  /**
   * Applies a verified alive message from a peer of organisation {@code mspId} (see the class
   * documentation).
   *
   * @return what was done with it
   */
  @CanIgnoreReturnValue
  public Outcome onAlive(AliveRecord alive, String mspId) {
    requireNonNull(alive, "alive");
    requireNonNull(mspId, "mspId");
    Outcome outcome;
    synchronized (lock) {
      outcome = applyAlive(alive, mspId);
    }
    events.deliver();
    return outcome;
  }

  @GuardedBy("lock")
  private Outcome applyAlive(AliveRecord alive, String mspId) {
    if (self.isPresent() && self.get().equals(alive.pkiId())) {
      return Outcome.SELF;
    }
    long now = clock.nanoTime();
    Entry entry = members.get(alive.pkiId());
    if (entry == null) {
      if (members.size() >= maxMembers) {
        refused.increment();
        log.debug("Membership view full ({} peers): refused {}", maxMembers, alive.pkiId());
        return Outcome.REFUSED_FULL;
      }
      Member member = toMember(alive, mspId, Optional.empty());
      members.put(alive.pkiId(), new Entry(member, now));
      known.set(members.size());
      enqueue(MembershipEvent.Type.JOINED, member);
      return Outcome.JOINED;
    }
    if (!alive.time().isNewerThan(entry.member.lastSeen())) {
      stale.increment();
      return Outcome.STALE;
    }
    Member before = entry.member;
    Member after = toMember(alive, mspId, before.internalEndpoint());
    entry.member = after;
    entry.lastAliveNanos = now;
    if (!entry.alive) {
      entry.alive = true;
      enqueue(MembershipEvent.Type.ALIVE_AGAIN, after);
      return Outcome.ALIVE_AGAIN;
    }
    if (!before.externalEndpoint().equals(after.externalEndpoint())
        || !before.internalEndpoint().equals(after.internalEndpoint())
        || !before.metadata().equals(after.metadata())) {
      enqueue(MembershipEvent.Type.UPDATED, after);
      return Outcome.UPDATED;
    }
    return Outcome.REFRESHED;
  }

  /**
   * Declares {@code pkiId} dead at once, as after a failed send. It comes back with its next alive
   * message newer than the last one seen.
   *
   * @return true if the peer was known and alive
   */
  @CanIgnoreReturnValue
  public boolean markDead(PkiId pkiId) {
    requireNonNull(pkiId, "pkiId");
    boolean changed = false;
    synchronized (lock) {
      Entry entry = members.get(pkiId);
      if (entry != null && entry.alive) {
        entry.alive = false;
        enqueue(MembershipEvent.Type.DEAD, entry.member);
        changed = true;
      }
    }
    events.deliver();
    return changed;
  }

  /**
   * Forgets {@code pkiId} at once, alive or dead, even a bootstrap or anchor peer: its identity
   * expired, was revoked or was purged from the identity mapper, so nothing it says can be verified
   * any more. Fires {@link MembershipEvent.Type#PURGED}. It comes back only as a new peer, with an
   * alive message whose signer is known again.
   *
   * @return true if the peer was known
   */
  @CanIgnoreReturnValue
  public boolean forget(PkiId pkiId) {
    requireNonNull(pkiId, "pkiId");
    boolean removed = false;
    synchronized (lock) {
      Entry entry = members.remove(pkiId);
      if (entry != null) {
        known.set(members.size());
        enqueue(MembershipEvent.Type.PURGED, entry.member);
        removed = true;
      }
    }
    events.deliver();
    return removed;
  }

  /** The peers believed alive, in the order they were first seen. */
  public List<Member> alive() {
    return snapshot(true);
  }

  /** The peers believed dead but not yet purged, in the order they were first seen. */
  public List<Member> dead() {
    return snapshot(false);
  }

  /** What is known of {@code pkiId}, alive or dead. */
  public Optional<Member> member(PkiId pkiId) {
    requireNonNull(pkiId, "pkiId");
    synchronized (lock) {
      Entry entry = members.get(pkiId);
      return entry == null ? Optional.empty() : Optional.of(entry.member);
    }
  }

  /** True if {@code pkiId} is known and believed alive. */
  public boolean isAlive(PkiId pkiId) {
    requireNonNull(pkiId, "pkiId");
    synchronized (lock) {
      Entry entry = members.get(pkiId);
      return entry != null && entry.alive;
    }
  }

  /** The number of peers known, alive and dead. */
  public int size() {
    return known.get();
  }

  private List<Member> snapshot(boolean alive) {
    synchronized (lock) {
      List<Member> out = new ArrayList<>();
      for (Entry entry : members.values()) {
        if (entry.alive == alive) {
          out.add(entry.member);
        }
      }
      return List.copyOf(out);
    }
  }

  /** The periodic check: alive → dead after the timeout, dead → purged after the factor. */
  private void checkAlive() {
    synchronized (lock) {
      long now = clock.nanoTime();
      for (Iterator<Entry> it = members.values().iterator(); it.hasNext(); ) {
        Entry entry = it.next();
        long silent = now - entry.lastAliveNanos;
        if (entry.alive && silent > expirationNanos) {
          entry.alive = false;
          enqueue(MembershipEvent.Type.DEAD, entry.member);
        }
        if (!entry.alive && silent > purgeNanos && !isNeverPurged(entry.member)) {
          it.remove();
          enqueue(MembershipEvent.Type.PURGED, entry.member);
        }
      }
      known.set(members.size());
    }
    events.deliver();
  }

  private boolean isNeverPurged(Member member) {
    return member.externalEndpoint().filter(neverPurge::contains).isPresent()
        || member.internalEndpoint().filter(neverPurge::contains).isPresent();
  }

  @GuardedBy("lock")
  private void enqueue(MembershipEvent.Type type, Member member) {
    events.enqueue(new MembershipEvent(type, member, clock.instant()));
  }

  private static Member toMember(
      AliveRecord alive, String mspId, Optional<Endpoint> knownInternalEndpoint) {
    Optional<Endpoint> internal =
        alive.internalEndpoint().isPresent() ? alive.internalEndpoint() : knownInternalEndpoint;
    return new Member(
        alive.pkiId(), mspId, alive.externalEndpoint(), internal, alive.metadata(), alive.time());
  }

  @Override
  public String toString() {
    return "MembershipView{known=" + known.get() + ", max=" + maxMembers + "}";
  }

  /**
   * Builds a {@link MembershipView}. Not thread-safe; {@link #build()} may be called more than
   * once, each time creating a new view.
   */
  public static final class Builder {
    private Scheduler scheduler;
    private MeterRegistry meterRegistry;
    private Duration aliveExpirationTimeout = Duration.ofSeconds(25);
    private int msgExpirationFactor = 20;
    private int maxMembers = 10_000;
    private Set<Endpoint> neverPurge = Set.of();
    private Optional<PkiId> self = Optional.empty();

    private Builder() {}

    /** The scheduler that runs the expiry check and whose clock times the peers. Required. */
    @CanIgnoreReturnValue
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where the counters and the gauge are registered. Required. */
    @CanIgnoreReturnValue
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * {@code peer.gossip.aliveExpirationTimeout}: silence after which a peer is dead (default 25
     * s).
     *
     * @throws IllegalArgumentException if shorter than 10 ms
     */
    @CanIgnoreReturnValue
    public Builder aliveExpirationTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      checkArgument(
          timeout.compareTo(Duration.ofMillis(10)) >= 0,
          "aliveExpirationTimeout must be at least 10ms, was %s",
          timeout);
      this.aliveExpirationTimeout = timeout;
      return this;
    }

    /**
     * {@code peer.gossip.msgExpirationFactor}: a dead peer is purged after {@code
     * aliveExpirationTimeout × factor} without alive messages (default 20).
     *
     * @throws IllegalArgumentException if less than 1
     */
    @CanIgnoreReturnValue
    public Builder msgExpirationFactor(int factor) {
      checkArgument(factor >= 1, "msgExpirationFactor must be >= 1, was %s", factor);
      this.msgExpirationFactor = factor;
      return this;
    }

    /**
     * The most peers known at once, alive and dead (default 10 000).
     *
     * @throws IllegalArgumentException if not positive
     */
    @CanIgnoreReturnValue
    public Builder maxMembers(int maxMembers) {
      checkArgument(maxMembers > 0, "maxMembers must be positive, was %s", maxMembers);
      this.maxMembers = maxMembers;
      return this;
    }

    /** Endpoints of peers that are never purged: bootstrap and anchor peers (default none). */
    @CanIgnoreReturnValue
    public Builder neverPurge(Set<Endpoint> endpoints) {
      this.neverPurge = Set.copyOf(requireNonNull(endpoints, "endpoints"));
      return this;
    }

    /** This peer's own PKI-ID, whose alive messages are ignored (default none). */
    @CanIgnoreReturnValue
    public Builder self(PkiId self) {
      this.self = Optional.of(requireNonNull(self, "self"));
      return this;
    }

    /**
     * Creates the view; call {@link MembershipView#start()} to start the expiry check.
     *
     * @throws NullPointerException if the scheduler or the meter registry is missing
     */
    public MembershipView build() {
      return new MembershipView(this);
    }
  }
}
