package org.ledgergossip.core.internal.identity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identities of the peers this peer knows, keyed by PKI-ID: Fabric's identity mapper ({@code
 * gossip/identity/identity.go}). It uses only SPI types ({@link Msp}, {@link Identity}, {@link
 * Scheduler}, {@link PkiId}), so that the core and the layers above can share one instance whatever
 * the MSP provider.
 *
 * <ul>
 *   <li>{@link #put} validates through the {@link Msp}, refuses an identity that is expired on the
 *       scheduler's clock or whose PKI-ID differs from the one claimed, and keeps the first
 *       identity stored under a PKI-ID.
 *   <li>An identity is removed when its certificate expires: a one-shot timer on the scheduler at
 *       {@link Identity#expiresAt()} plus 1 ms, as in Fabric.
 *   <li>An identity neither {@linkplain #put put} nor {@linkplain #get got} for {@link
 *       Builder#usageThreshold} (default one hour, Fabric's) is purged by a periodic task that runs
 *       every {@link Builder#purgeInterval} (default a tenth of the threshold, Fabric's). This
 *       peer's own identity ({@link Msp#localIdentity()}, stored on creation) is never purged for
 *       lack of use.
 *   <li>{@link #revalidateAll()} (after {@link Msp#reload()}, to apply revocations) validates every
 *       entry again and removes those the MSP now rejects.
 *   <li>At most {@link Builder#maxEntries} identities (default {@value #DEFAULT_MAX_ENTRIES}); when
 *       full, a new identity is refused with {@link StoreFullException} and counted.
 * </ul>
 *
 * <p>Every removal is reported to the listeners (given to the {@linkplain Builder#listener builder}
 * or {@linkplain #addListener added} later) with its reason: that is how the membership layer
 * forgets a peer whose certificate expired or was revoked. Every refusal of {@link #put} is counted
 * by {@link RejectReason} ({@link #rejections}).
 *
 * <p><b>Threading.</b> All methods are thread-safe. The map is guarded by one lock held only for
 * map operations; validation (expensive cryptography) runs on the caller's thread outside it.
 * Expiry and usage purges run on the scheduler. Listeners are called outside the lock, on the
 * thread that removed the entry (the scheduler's, or the caller of {@link #revalidateAll()}); they
 * must not block, and an exception they throw is logged and ignored.
 *
 * <p><b>Nullability.</b> No argument may be null; no method returns null.
 */
public final class IdentityMapper implements AutoCloseable {

  /** Fabric's usage threshold: one hour. */
  public static final Duration DEFAULT_USAGE_THRESHOLD = Duration.ofHours(1);

  /** The default bound on the number of identities. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(IdentityMapper.class);

  /** Why an identity was removed. */
  public enum PurgeReason {
    /** Its certificate expired. */
    EXPIRED,
    /** It was not used for the usage threshold. */
    UNUSED,
    /** The MSP rejects it now (revoked, CA no longer trusted, ...). */
    INVALID
  }

  /** Why {@link #put} refused an identity. */
  public enum RejectReason {
    /** The MSP rejected it. */
    INVALID,
    /** It is expired on the scheduler's clock. */
    EXPIRED,
    /** Its PKI-ID is not the one claimed. */
    PKI_ID_MISMATCH,
    /** The store holds its maximum number of identities. */
    FULL
  }

  /** Told of every identity the store removes. */
  @FunctionalInterface
  public interface PurgeListener {
    /**
     * Called once for each removed identity.
     *
     * @param pkiId the removed identity's PKI-ID
     * @param reason why it was removed
     * @param detail a human-readable explanation (for {@code INVALID}, the MSP's reason)
     */
    void onPurged(PkiId pkiId, PurgeReason reason, String detail);
  }

  /** {@link #put} refused an identity because the store is full. */
  public static final class StoreFullException extends InvalidIdentityException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code reason} as its message. */
    public StoreFullException(String reason) {
      super(reason);
    }
  }

  private static final class Entry {
    final Identity identity;
    final boolean pinned;
    volatile long lastUsedNanos;
    // Guarded by IdentityMapper.this.lock.
    @Nullable Cancellable expiryTimer;

    Entry(Identity identity, boolean pinned, long now) {
      this.identity = identity;
      this.pinned = pinned;
      this.lastUsedNanos = now;
    }
  }

  private final Msp msp;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Duration usageThreshold;
  private final int maxEntries;
  private final List<PurgeListener> listeners;
  private final EnumMap<RejectReason, AtomicLong> rejections = new EnumMap<>(RejectReason.class);
  private final Cancellable purgeTask;

  private final Object lock = new Object();
  // Guarded by lock.
  private final Map<PkiId, Entry> entries = new HashMap<>();
  private boolean closed;

  private IdentityMapper(Builder b) {
    this.msp = b.msp;
    this.scheduler = b.scheduler;
    this.clock = b.scheduler.clock();
    this.usageThreshold = b.usageThreshold;
    this.maxEntries = b.maxEntries;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    for (RejectReason r : RejectReason.values()) {
      rejections.put(r, new AtomicLong());
    }
    Identity self = msp.localIdentity();
    synchronized (lock) {
      insert(new Entry(self, true, clock.nanoTime()));
    }
    Duration interval = b.purgeInterval != null ? b.purgeInterval : usageThreshold.dividedBy(10);
    this.purgeTask = scheduler.scheduleAtFixedRate(this::purgeUnused, interval, interval);
  }

  /**
   * A builder of a store validating through {@code msp}, with timers on {@code scheduler} (whose
   * clock decides expiry and use).
   */
  public static Builder builder(Msp msp, Scheduler scheduler) {
    return new Builder(requireNonNull(msp, "msp"), requireNonNull(scheduler, "scheduler"));
  }

  /**
   * Validates {@code serialized} and stores it under its PKI-ID; if an identity is stored under
   * that PKI-ID already, keeps that one, marks it used and returns it.
   *
   * @throws InvalidIdentityException if the MSP rejects it or it is expired (message says why)
   * @throws StoreFullException if it is new and the store is full
   * @throws IllegalStateException if the store is closed
   */
  public Identity put(Bytes serialized) throws InvalidIdentityException {
    return store(null, serialized);
  }

  /**
   * Like {@link #put(Bytes)}, and refuses the identity unless its PKI-ID is {@code expected} (the
   * PKI-ID a message claimed for it).
   *
   * @throws InvalidIdentityException if the PKI-ID differs, or as {@link #put(Bytes)}
   */
  public Identity put(PkiId expected, Bytes serialized) throws InvalidIdentityException {
    return store(requireNonNull(expected, "expected"), serialized);
  }

  private Identity store(@Nullable PkiId expected, Bytes serialized)
      throws InvalidIdentityException {
    requireNonNull(serialized, "serialized");
    checkOpen();
    Identity identity;
    try {
      identity = msp.validate(serialized);
    } catch (InvalidIdentityException e) {
      throw reject(RejectReason.INVALID, e);
    }
    if (expected != null && !expected.equals(identity.pkiId())) {
      throw reject(
          RejectReason.PKI_ID_MISMATCH,
          new InvalidIdentityException(
              "identity has PKI-ID " + identity.pkiId().toHex() + ", claimed " + expected.toHex()));
    }
    Instant now = clock.instant();
    if (now.isAfter(identity.expiresAt())) {
      throw reject(
          RejectReason.EXPIRED,
          new InvalidIdentityException(
              "identity " + identity.pkiId() + " expired at " + identity.expiresAt()));
    }
    synchronized (lock) {
      checkOpen();
      Entry existing = entries.get(identity.pkiId());
      if (existing != null) {
        existing.lastUsedNanos = clock.nanoTime();
        return existing.identity;
      }
      if (entries.size() >= maxEntries) {
        throw reject(
            RejectReason.FULL,
            new StoreFullException(
                "identity store is full ("
                    + maxEntries
                    + " identities); "
                    + identity.pkiId()
                    + " refused"));
      }
      insert(new Entry(identity, false, clock.nanoTime()));
      return identity;
    }
  }

  /** The identity stored under {@code pkiId}, which is marked used; empty if none. */
  public Optional<Identity> get(PkiId pkiId) {
    requireNonNull(pkiId, "pkiId");
    Entry e;
    synchronized (lock) {
      e = entries.get(pkiId);
    }
    if (e == null) {
      return Optional.empty();
    }
    e.lastUsedNanos = clock.nanoTime();
    return Optional.of(e.identity);
  }

  /**
   * Whether an identity is stored under {@code pkiId}. Does not mark it used: bookkeeping must not
   * keep an identity from being purged.
   */
  public boolean contains(PkiId pkiId) {
    requireNonNull(pkiId, "pkiId");
    synchronized (lock) {
      return entries.containsKey(pkiId);
    }
  }

  /**
   * Adds a listener told of every removal from now on.
   *
   * @return a handle that removes the listener again
   */
  public Runnable addListener(PurgeListener listener) {
    requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** The number of identities stored, this peer's own included. */
  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  /** How many times {@link #put} refused an identity for {@code reason}. */
  public long rejections(RejectReason reason) {
    return rejections.get(requireNonNull(reason, "reason")).get();
  }

  /**
   * Validates every stored identity again through the MSP (call it after {@link Msp#reload()}) and
   * removes, reporting {@link PurgeReason#INVALID} or {@link PurgeReason#EXPIRED}, those that fail.
   *
   * @return how many identities were removed
   */
  public int revalidateAll() {
    return revalidate(identity -> true);
  }

  /**
   * Like {@link #revalidateAll()}, for the identities {@code suspect} selects (Fabric's {@code
   * SuspectPeers}).
   *
   * @return how many identities were removed
   */
  public int revalidate(Predicate<? super Identity> suspect) {
    requireNonNull(suspect, "suspect");
    List<Entry> snapshot;
    synchronized (lock) {
      snapshot = new ArrayList<>(entries.values());
    }
    int removed = 0;
    for (Entry e : snapshot) {
      if (!suspect.test(e.identity)) {
        continue;
      }
      Instant now = clock.instant();
      if (now.isAfter(e.identity.expiresAt())) {
        removed += remove(e, PurgeReason.EXPIRED, "expired at " + e.identity.expiresAt()) ? 1 : 0;
        continue;
      }
      try {
        Identity again = msp.validate(e.identity.serialized());
        if (!again.pkiId().equals(e.identity.pkiId())) {
          removed += remove(e, PurgeReason.INVALID, "PKI-ID changed on revalidation") ? 1 : 0;
        }
      } catch (InvalidIdentityException invalid) {
        removed += remove(e, PurgeReason.INVALID, String.valueOf(invalid.getMessage())) ? 1 : 0;
      }
    }
    return removed;
  }

  /** Cancels the timers and forgets every identity, without telling the listeners. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      for (Entry e : entries.values()) {
        cancelTimer(e);
      }
      entries.clear();
    }
    purgeTask.cancel();
  }

  @Override
  public String toString() {
    return "IdentityMapper[size=" + size() + ", max=" + maxEntries + "]";
  }

  // ---- internals ----

  /** Adds {@code e} and arms its expiry timer. Caller holds the lock. */
  private void insert(Entry e) {
    entries.put(e.identity.pkiId(), e);
    armExpiry(e);
  }

  /** Caller holds the lock. */
  private void armExpiry(Entry e) {
    Duration left = Duration.between(clock.instant(), e.identity.expiresAt()).plusMillis(1);
    e.expiryTimer = scheduler.schedule(() -> expire(e), left.isNegative() ? Duration.ZERO : left);
  }

  private void expire(Entry e) {
    synchronized (lock) {
      if (closed || entries.get(e.identity.pkiId()) != e) {
        return;
      }
      if (!clock.instant().isAfter(e.identity.expiresAt())) {
        armExpiry(e); // the wall clock moved differently from the scheduler's delays
        return;
      }
    }
    remove(e, PurgeReason.EXPIRED, "expired at " + e.identity.expiresAt());
  }

  private void purgeUnused() {
    long now = clock.nanoTime();
    long threshold = usageThreshold.toNanos();
    List<Entry> unused = new ArrayList<>();
    synchronized (lock) {
      for (Entry e : entries.values()) {
        if (!e.pinned && now - e.lastUsedNanos > threshold) {
          unused.add(e);
        }
      }
    }
    for (Entry e : unused) {
      remove(e, PurgeReason.UNUSED, "not used for " + usageThreshold);
    }
  }

  /** Removes {@code e} if it is still stored, and tells the listeners. */
  private boolean remove(Entry e, PurgeReason reason, String detail) {
    PkiId pkiId = e.identity.pkiId();
    synchronized (lock) {
      if (entries.get(pkiId) != e) {
        return false;
      }
      entries.remove(pkiId);
      cancelTimer(e);
    }
    LOG.info("identity {} of '{}' removed: {} ({})", pkiId, e.identity.mspId(), reason, detail);
    for (PurgeListener l : listeners) {
      try {
        l.onPurged(pkiId, reason, detail);
      } catch (RuntimeException failed) {
        LOG.warn("purge listener {} failed for {}", l, pkiId, failed);
      }
    }
    return true;
  }

  private static void cancelTimer(Entry e) {
    Cancellable t = e.expiryTimer;
    if (t != null) {
      t.cancel();
    }
  }

  private <E extends InvalidIdentityException> E reject(RejectReason reason, E e) {
    rejections.get(reason).incrementAndGet();
    return e;
  }

  private void checkOpen() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("identity store is closed");
      }
    }
  }

  /**
   * Settings of an {@link IdentityMapper}. Not thread-safe; {@link #build()} may be called more
   * than once.
   */
  public static final class Builder {
    private final Msp msp;
    private final Scheduler scheduler;
    private Duration usageThreshold = DEFAULT_USAGE_THRESHOLD;
    private @Nullable Duration purgeInterval;
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private final List<PurgeListener> listeners = new ArrayList<>();

    private Builder(Msp msp, Scheduler scheduler) {
      this.msp = msp;
      this.scheduler = scheduler;
    }

    /**
     * How long an identity may go unused before it is purged; default one hour.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder usageThreshold(Duration threshold) {
      this.usageThreshold = positive(threshold, "usageThreshold");
      return this;
    }

    /**
     * How often unused identities are looked for; default a tenth of the usage threshold.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder purgeInterval(Duration interval) {
      this.purgeInterval = positive(interval, "purgeInterval");
      return this;
    }

    /**
     * The most identities stored, this peer's own included; default {@value
     * IdentityMapper#DEFAULT_MAX_ENTRIES}.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxEntries(int maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** Adds a listener told of every removal. */
    public Builder listener(PurgeListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** A new store holding this peer's own identity, with its purge task scheduled. */
    public IdentityMapper build() {
      return new IdentityMapper(this);
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
