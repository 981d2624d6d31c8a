package org.ledgergossip.core.internal.store;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageStore} in two deques under one lock: messages not yet expired, and expired ones
 * waiting for deletion. Both are ordered by the time of their addition, and every expired message
 * is older than every live one (expiry takes the oldest live messages first), so the next expiry is
 * due for the head of {@link #live} and the next deletion for the head of {@link #expired}.
 */
final class DefaultMessageStore<M> implements MessageStore<M> {

  private static final Logger log = LoggerFactory.getLogger(DefaultMessageStore.class);

  private final String name;
  private final ReplacementPolicy<M> policy;
  private final RemovalListener<? super M> listener;
  private final int maxSize;
  private final @Nullable Scheduler scheduler;
  private final long ttlNanos;
  private final @Nullable Counter refused;
  private final @Nullable Counter evicted;
  private final @Nullable Counter expiredCount;

  private final Object lock = new Object();

  /** Messages not yet expired, oldest first. */
  @GuardedBy("lock")
  private final ArrayDeque<Entry<M>> live = new ArrayDeque<>();

  /** Expired messages, oldest first, kept until twice the TTL to refuse stale duplicates. */
  @GuardedBy("lock")
  private final ArrayDeque<Entry<M>> expired = new ArrayDeque<>();

  /** The timer of the next expiry or deletion; null while none is armed. */
  @GuardedBy("lock")
  private @Nullable Cancellable timer;

  @GuardedBy("lock")
  private boolean stopped;

  private static final class Entry<M> {
    final M message;
    final long addedAt;

    /** Marked for removal; written under the store's lock. */
    boolean doomed;

    Entry(M message, long addedAt) {
      this.message = message;
      this.addedAt = addedAt;
    }
  }

  private record Removal<M>(M message, RemovalCause cause) {}

  DefaultMessageStore(MessageStore.Builder<M> b) {
    this.name = b.name;
    this.policy = b.policy;
    this.listener = b.listener;
    this.maxSize = b.maxSize;
    this.scheduler = b.scheduler;
    Duration ttl = b.ttl;
    this.ttlNanos = ttl == null ? 0 : ttl.toNanos();
    MeterRegistry registry = b.meterRegistry;
    this.refused = counter(registry, REFUSED_COUNTER, "Messages refused as stale by the policy");
    this.evicted = counter(registry, EVICTED_COUNTER, "Messages evicted from a full store");
    this.expiredCount = counter(registry, EXPIRED_COUNTER, "Messages expired after the TTL");
  }

  private @Nullable Counter counter(@Nullable MeterRegistry registry, String id, String what) {
    return registry == null
        ? null
        : Counter.builder(id).description(what).tag("store", name).register(registry);
  }

  @Override
  public boolean add(M message) {
    requireNonNull(message, "message");
    List<Removal<M>> removals = new ArrayList<>();
    synchronized (lock) {
      List<Entry<M>> invalidated = new ArrayList<>();
      if (!judge(message, expired, invalidated) || !judge(message, live, invalidated)) {
        increment(refused);
        return false;
      }
      if (!invalidated.isEmpty()) {
        for (Entry<M> e : invalidated) {
          e.doomed = true;
        }
        // An expired message was already reported when it expired.
        expired.removeIf(e -> e.doomed);
        live.removeIf(
            e -> {
              if (e.doomed) {
                removals.add(new Removal<>(e.message, RemovalCause.INVALIDATED));
              }
              return e.doomed;
            });
      }
      while (live.size() + expired.size() >= maxSize) {
        increment(evicted);
        if (!expired.isEmpty()) {
          expired.pollFirst();
        } else {
          removals.add(new Removal<>(live.removeFirst().message, RemovalCause.EVICTED));
        }
      }
      long now = now();
      live.addLast(new Entry<>(message, now));
      if (timer == null) {
        armTimer(now);
      }
    }
    tell(removals);
    return true;
  }

  /**
   * Asks the policy about {@code message} against each of {@code entries}; collects those it
   * invalidates into {@code invalidated}.
   *
   * @return false if one of them invalidates {@code message}
   */
  @GuardedBy("lock")
  private boolean judge(M message, ArrayDeque<Entry<M>> entries, List<Entry<M>> invalidated) {
    for (Entry<M> e : entries) {
      InvalidationResult result =
          requireNonNull(policy.evaluate(message, e.message), "the policy returned null");
      switch (result) {
        case INVALIDATED -> {
          return false;
        }
        case INVALIDATES -> invalidated.add(e);
        case NO_ACTION -> {}
      }
    }
    return true;
  }

  @Override
  public boolean checkValid(M message) {
    requireNonNull(message, "message");
    synchronized (lock) {
      return judge(message, expired, new ArrayList<>()) && judge(message, live, new ArrayList<>());
    }
  }

  @Override
  public List<M> messages() {
    synchronized (lock) {
      List<M> out = new ArrayList<>(live.size());
      for (Entry<M> e : live) {
        out.add(e.message);
      }
      return List.copyOf(out);
    }
  }

  @Override
  public Optional<M> get(Predicate<? super M> which) {
    requireNonNull(which, "which");
    // The predicate runs outside the lock, on a snapshot.
    for (M m : messages()) {
      if (which.test(m)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @Override
  public int size() {
    synchronized (lock) {
      return live.size();
    }
  }

  @Override
  public int purge(Predicate<? super M> which) {
    requireNonNull(which, "which");
    // The predicate runs outside the lock, on a snapshot; entries removed meanwhile are skipped.
    List<Entry<M>> snapshot;
    synchronized (lock) {
      snapshot = new ArrayList<>(expired.size() + live.size());
      snapshot.addAll(expired);
      snapshot.addAll(live);
    }
    List<Entry<M>> chosen = new ArrayList<>();
    for (Entry<M> e : snapshot) {
      if (which.test(e.message)) {
        chosen.add(e);
      }
    }
    if (chosen.isEmpty()) {
      return 0;
    }
    List<Removal<M>> removals = new ArrayList<>();
    int removed;
    synchronized (lock) {
      for (Entry<M> e : chosen) {
        e.doomed = true;
      }
      int before = expired.size() + live.size();
      expired.removeIf(e -> e.doomed);
      live.removeIf(
          e -> {
            if (e.doomed) {
              removals.add(new Removal<>(e.message, RemovalCause.PURGED));
            }
            return e.doomed;
          });
      removed = before - expired.size() - live.size();
    }
    tell(removals);
    return removed;
  }

  @Override
  public void stop() {
    synchronized (lock) {
      stopped = true;
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
  }

  /** Runs on the scheduler when the next expiry or deletion is due. */
  private void onTimer() {
    List<Removal<M>> removals = new ArrayList<>();
    synchronized (lock) {
      timer = null;
      if (stopped) {
        return;
      }
      long now = now();
      // Expire first, so that a message overdue for both is reported before it is deleted.
      while (!live.isEmpty() && now - live.getFirst().addedAt >= ttlNanos) {
        Entry<M> e = live.removeFirst();
        expired.addLast(e);
        increment(expiredCount);
        removals.add(new Removal<>(e.message, RemovalCause.EXPIRED));
      }
      while (!expired.isEmpty() && now - expired.getFirst().addedAt >= 2 * ttlNanos) {
        expired.removeFirst();
      }
      armTimer(now);
    }
    tell(removals);
  }

  /** Arms the timer for the next due expiry or deletion, if the store has a TTL and messages. */
  @GuardedBy("lock")
  private void armTimer(long now) {
    if (scheduler == null || stopped) {
      return;
    }
    long delay = Long.MAX_VALUE;
    if (!live.isEmpty()) {
      delay = live.getFirst().addedAt - now + ttlNanos;
    }
    if (!expired.isEmpty()) {
      delay = Math.min(delay, expired.getFirst().addedAt - now + 2 * ttlNanos);
    }
    if (delay != Long.MAX_VALUE) {
      timer = scheduler.schedule(this::onTimer, Duration.ofNanos(Math.max(0, delay)));
    }
  }

  private long now() {
    return scheduler == null ? 0 : scheduler.clock().nanoTime();
  }

  private void tell(List<Removal<M>> removals) {
    for (Removal<M> r : removals) {
      try {
        listener.onRemoval(r.message(), r.cause());
      } catch (RuntimeException e) {
        log.warn("store {}: the removal listener failed on a message {}", name, r.cause(), e);
      }
    }
  }

  private static void increment(@Nullable Counter counter) {
    if (counter != null) {
      counter.increment();
    }
  }

  /** Whether the calling thread holds the store's lock; for tests of the listener contract. */
  boolean lockHeldByCurrentThread() {
    return Thread.holdsLock(lock);
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "MessageStore["
          + name
          + ", "
          + policy
          + ", live="
          + live.size()
          + ", expired="
          + expired.size()
          + "]";
    }
  }
}
