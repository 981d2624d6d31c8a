package org.ledgergossip.core.internal.pull;

import static java.util.Objects.requireNonNull;
import static org.ledgergossip.core.internal.Arguments.positive;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;

/**
 * Fabric's four-phase pull over item digests ({@code gossip/gossip/algo/pull.go}).
 *
 * <p><b>Initiator.</b> Every {@code pullInterval} (first round after one interval) a round sends a
 * hello with a fresh random nonce to each peer of {@link PullAdapter#selectPeers()}. Digests are
 * accepted for {@code digestWaitTime} from the round's start, only from the peer the nonce was sent
 * to, once per peer, after the ingress filter. Then, for each advertised item this engine lacks (at
 * most as many as the store has room for), one owner is drawn at random among the peers that
 * advertised it, and each chosen owner gets one request, echoing its nonce. A response is accepted
 * once, from that owner, for {@code responseWaitTime} after the request, and only if it carries
 * nothing that was not requested; its items are added and reported to the {@link ItemsListener}.
 * Rounds are independent, so they may overlap when {@code pullInterval} is short.
 *
 * <p><b>Responder.</b> A hello is answered with a digest of this engine's items that the egress
 * filter discloses to the sender (at most {@code maxDigestsPerMessage}, a window starting at a
 * random position when there are more); a request carrying that digest's nonce, from that peer,
 * within {@code requestWaitTime}, is answered once with the requested items this engine has and the
 * egress filter discloses. Nothing is sent when there is nothing to disclose.
 *
 * <p><b>Items.</b> The set of item digests this engine has is bounded by {@code maxItems}. When it
 * is full, {@link #add} and pulled items are <em>refused</em> (never evicted) and counted in
 * {@value #REFUSED_COUNTER}: the owner of the engine decides what leaves (for blocks, the store's
 * window calls {@link #remove}), and an engine never asks for more items than it has room for.
 *
 * <p><b>Bad input.</b> The {@code on*} methods never throw for anything a remote peer can send:
 * null or oversized lists, bad items, wrong, stale, duplicate or unknown nonces are dropped and
 * counted in {@value #IGNORED_COUNTER}{@code {instance, reason}} (see {@link IgnoreReason}).
 * Messages arriving after {@link #stop()} are ignored as {@link IgnoreReason#STOPPED}. A message
 * whose window has closed is counted as too late for a while (twice the window), then as {@link
 * IgnoreReason#UNKNOWN_NONCE}.
 *
 * <p><b>Threading.</b> Thread-safe. All mutable state is guarded by one lock, held only for short
 * in-memory work and never while calling the adapter, the filters or the listener. The {@code on*}
 * methods run on the caller's (transport) thread; rounds and their timers run on the scheduler; any
 * method may be called from any thread. A lock rather than hopping onto the scheduler, so that
 * {@link #add}, {@link #contains} and {@link #items} answer synchronously to the thread of the
 * engine's owner, and so that a message's time window is judged when it arrives, not when a busy
 * scheduler gets to it. The filters may be called concurrently and must be fast.
 *
 * <p><b>Nullability.</b> {@link #add}, {@link #remove} and {@link #contains} take non-null items;
 * the {@code on*} methods accept anything. Nothing returned is null.
 *
 * <p><b>Errors.</b> {@link #add}, {@link #remove} and {@link #contains} throw {@link
 * NullPointerException} for a null item (they are called by our own code); {@link #start()} throws
 * {@link IllegalStateException} when not new. The {@code on*} methods never throw. A {@link
 * RuntimeException} from the adapter, a filter or the listener is logged at warning level and
 * swallowed (a failed send counts as a lost message; a failed filter drops the message as {@link
 * IgnoreReason#FILTER_FAILED}).
 *
 * @param <P> the peer identity type; must have value {@code equals}/{@code hashCode}
 */
public final class PullEngine<P> {

  /** Counter of ignored pull messages, tagged {@code instance} and {@code reason}. */
  public static final String IGNORED_COUNTER = "gossip_pull_messages_ignored_total";

  /** Counter of items refused because the item set was full, tagged {@code instance}. */
  public static final String REFUSED_COUNTER = "gossip_pull_items_refused_total";

  private enum Lifecycle {
    NEW,
    STARTED,
    STOPPED
  }

  private final PullState<P> s;
  private final Initiator<P> initiator;
  private final Responder<P> responder;

  @GuardedBy("s.lock")
  private Lifecycle lifecycle = Lifecycle.NEW;

  private PullEngine(Builder<P> builder) {
    this.s = new PullState<>(builder);
    this.initiator = new Initiator<>(s);
    this.responder = new Responder<>(s);
  }

  /**
   * A builder for the engine named {@code instance} (the metrics' {@code instance} tag, e.g. {@code
   * "identities"} or {@code "blocks:mychannel"}) that talks through {@code adapter}.
   */
  public static <P> Builder<P> builder(String instance, PullAdapter<P> adapter) {
    return new Builder<>(instance, adapter);
  }

  /** The name given to the builder. */
  public String instance() {
    return s.instance;
  }

  /**
   * Schedules the periodic pull round, the first one {@code pullInterval} from now.
   *
   * @throws IllegalStateException if already started or stopped
   */
  public void start() {
    synchronized (s.lock) {
      if (lifecycle != Lifecycle.NEW) {
        throw new IllegalStateException(
            "pull engine "
                + s.instance
                + " cannot start: it is "
                + lifecycle.name().toLowerCase(Locale.ROOT));
      }
      lifecycle = Lifecycle.STARTED;
      initiator.start();
    }
  }

  /**
   * Cancels the periodic round and every pending timer and forgets every nonce; later messages are
   * ignored as {@link IgnoreReason#STOPPED}. The items stay. Idempotent; may be called before
   * {@link #start()}, which then throws.
   */
  public void stop() {
    List<Cancellable> timers;
    synchronized (s.lock) {
      if (lifecycle == Lifecycle.STOPPED) {
        return;
      }
      lifecycle = Lifecycle.STOPPED;
      s.stopped = true;
      timers = initiator.stop();
      responder.clear();
    }
    timers.forEach(Cancellable::cancel);
  }

  /**
   * Adds an item this peer now has.
   *
   * @return true if added; false if already present, or refused because the item set is full
   *     (counted in {@value #REFUSED_COUNTER})
   */
  public boolean add(String item) {
    requireNonNull(item, "item");
    synchronized (s.lock) {
      return s.addLocked(item);
    }
  }

  /** Removes an item; true if it was present. */
  public boolean remove(String item) {
    requireNonNull(item, "item");
    synchronized (s.lock) {
      return s.items.remove(item);
    }
  }

  /** Whether this engine has {@code item}. */
  public boolean contains(String item) {
    requireNonNull(item, "item");
    synchronized (s.lock) {
      return s.items.contains(item);
    }
  }

  /** A snapshot of the items, in the order they were added. */
  public Set<String> items() {
    synchronized (s.lock) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(s.items));
    }
  }

  /** How many items this engine has. */
  public int size() {
    synchronized (s.lock) {
      return s.items.size();
    }
  }

  /** Handles a hello from {@code from}: replies with a digest of what we disclose to it. */
  public void onHello(@Nullable P from, long nonce) {
    responder.onHello(from, nonce);
  }

  /** Handles a digest from {@code from} answering our hello {@code nonce}. */
  public void onDigest(@Nullable P from, @Nullable List<String> digests, long nonce) {
    initiator.onDigest(from, digests, nonce);
  }

  /** Handles a request from {@code from} echoing the nonce of a digest we sent it. */
  public void onRequest(@Nullable P from, @Nullable List<String> items, long nonce) {
    responder.onRequest(from, items, nonce);
  }

  /**
   * Handles a response from {@code from} to our request {@code nonce}: adds the new items (as far
   * as the item set has room) and tells the listener which were taken.
   */
  public void onResponse(@Nullable P from, @Nullable List<String> items, long nonce) {
    initiator.onResponse(from, items, nonce);
  }

  @Override
  public String toString() {
    return "PullEngine[" + s.instance + "]";
  }

  /**
   * Builds a {@link PullEngine}. The scheduler and the meter registry are required; every other
   * setting has Fabric's default. Not thread-safe.
   *
   * @param <P> the peer identity type
   */
  public static final class Builder<P> {
    final String instance;
    final PullAdapter<P> adapter;
    @Nullable Scheduler scheduler;
    @Nullable MeterRegistry meterRegistry;
    @Nullable RandomGenerator random;
    Duration pullInterval = Duration.ofSeconds(4);
    Duration digestWaitTime = Duration.ofSeconds(1);
    Duration requestWaitTime = Duration.ofMillis(1500);
    Duration responseWaitTime = Duration.ofSeconds(2);
    int maxItems = 10_000;
    int maxDigestsPerMessage = 1_000;
    int maxOutstandingNonces = 1_024;
    int maxItemLength = 256;
    Predicate<String> ingressFilter = item -> true;
    BiPredicate<P, String> egressFilter = (peer, item) -> true;
    ItemsListener<P> listener = (from, pulled) -> {};

    private Builder(String instance, PullAdapter<P> adapter) {
      this.instance = requireNonNull(instance, "instance");
      this.adapter = requireNonNull(adapter, "adapter");
      if (instance.isEmpty()) {
        throw new IllegalArgumentException("instance must not be empty");
      }
    }

    /** The scheduler of the rounds and their timers; its clock measures every wait. */
    public Builder<P> scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where the counters go. */
    public Builder<P> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * The source of nonces and of the random choice of owners (default: {@link
     * RandomGenerator#getDefault()}); give a seeded one for reproducible runs. Only used under the
     * engine's lock, so it need not be thread-safe.
     */
    public Builder<P> random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** Time between two pull rounds ({@code peer.gossip.pullInterval}, default 4 s). */
    public Builder<P> pullInterval(Duration interval) {
      this.pullInterval = positive(interval, "pullInterval");
      return this;
    }

    /** How long a round collects digests ({@code peer.gossip.digestWaitTime}, default 1 s). */
    public Builder<P> digestWaitTime(Duration wait) {
      this.digestWaitTime = positive(wait, "digestWaitTime");
      return this;
    }

    /**
     * How long after sending a digest a request for it is answered ({@code
     * peer.gossip.requestWaitTime}, default 1.5 s).
     */
    public Builder<P> requestWaitTime(Duration wait) {
      this.requestWaitTime = positive(wait, "requestWaitTime");
      return this;
    }

    /**
     * How long after sending a request its response is accepted ({@code
     * peer.gossip.responseWaitTime}, default 2 s).
     */
    public Builder<P> responseWaitTime(Duration wait) {
      this.responseWaitTime = positive(wait, "responseWaitTime");
      return this;
    }

    /** The most items the engine holds (default 10,000); beyond it additions are refused. */
    public Builder<P> maxItems(int max) {
      this.maxItems = positive(max, "maxItems");
      return this;
    }

    /**
     * The most items in one digest, request or response, sent or received (default 1,000); larger
     * incoming messages are ignored as {@link IgnoreReason#TOO_MANY_ITEMS}.
     */
    public Builder<P> maxDigestsPerMessage(int max) {
      this.maxDigestsPerMessage = positive(max, "maxDigestsPerMessage");
      return this;
    }

    /**
     * The most nonces kept in each direction (default 1,024): hellos sent in the current rounds,
     * and digests sent awaiting requests. Past it, fewer peers are greeted and hellos are ignored
     * as {@link IgnoreReason#TOO_MANY_NONCES}.
     */
    public Builder<P> maxOutstandingNonces(int max) {
      this.maxOutstandingNonces = positive(max, "maxOutstandingNonces");
      return this;
    }

    /** The longest item digest accepted, in chars (default 256). */
    public Builder<P> maxItemLength(int max) {
      this.maxItemLength = positive(max, "maxItemLength");
      return this;
    }

    /**
     * Which advertised items are worth pulling (default all), asked for every item of every digest
     * received; e.g. for blocks, only those at or above the ledger height. Called without the
     * engine's lock, possibly concurrently; must be fast.
     */
    public Builder<P> ingressFilter(Predicate<String> filter) {
      this.ingressFilter = requireNonNull(filter, "ingressFilter");
      return this;
    }

    /**
     * Which items may be disclosed to a peer (default all), asked for the digest answering its
     * hello and for the response to its request. Called without the engine's lock, possibly
     * concurrently; must be fast.
     */
    public Builder<P> egressFilter(BiPredicate<P, String> filter) {
      this.egressFilter = requireNonNull(filter, "egressFilter");
      return this;
    }

    /** Told which pulled items were accepted (default: nobody). */
    public Builder<P> listener(ItemsListener<P> listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The engine, not yet started.
     *
     * @throws NullPointerException if the scheduler or meter registry was not set
     */
    public PullEngine<P> build() {
      return new PullEngine<>(this);
    }
  }
}
