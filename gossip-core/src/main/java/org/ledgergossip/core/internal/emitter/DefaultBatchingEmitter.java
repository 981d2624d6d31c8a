package org.ledgergossip.core.internal.emitter;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.RandomPeers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchingEmitter} with one queue under one lock and at most two pending scheduler tasks:
 * the latency timer and an immediate flush requested by a full burst. A flush takes its batch under
 * the lock and routes and emits it outside.
 */
final class DefaultBatchingEmitter<M, P> implements BatchingEmitter<M, P> {

  private static final Logger log = LoggerFactory.getLogger(DefaultBatchingEmitter.class);

  private final String name;
  private final PeerSelector<M, P> selector;
  private final Emit<M, P> emit;
  private final Scheduler scheduler;
  private final int burstSize;
  private final Duration burstLatency;
  private final int iterations;
  private final int peerNum;
  private final int capacity;
  private final @Nullable Counter dropped;

  /** Touched only by flushes, which the scheduler runs one at a time. */
  private final RandomGenerator random;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final ArrayDeque<Queued<M, P>> queue = new ArrayDeque<>();

  /** The latency timer; null while not armed. */
  @GuardedBy("lock")
  private @Nullable Cancellable timer;

  /** A flush submitted because the burst size was reached; null while none is pending. */
  @GuardedBy("lock")
  private @Nullable Cancellable immediate;

  @GuardedBy("lock")
  private boolean stopped;

  private static final class Queued<M, P> {
    final M message;
    final @Nullable P origin;

    /** Flushes still to come for this message; written under the emitter's lock. */
    int iterationsLeft;

    Queued(M message, @Nullable P origin, int iterationsLeft) {
      this.message = message;
      this.origin = origin;
      this.iterationsLeft = iterationsLeft;
    }
  }

  DefaultBatchingEmitter(BatchingEmitter.Builder<M, P> b, int capacity) {
    this.name = b.name;
    this.selector = b.selector;
    this.emit = b.emit;
    this.scheduler = b.scheduler;
    this.burstSize = b.burstSize;
    this.burstLatency = b.burstLatency;
    this.iterations = b.iterations;
    this.peerNum = b.peerNum;
    this.capacity = capacity;
    RandomGenerator r = b.random;
    this.random = r != null ? r : new SplittableRandom();
    MeterRegistry registry = b.meterRegistry;
    this.dropped =
        registry == null
            ? null
            : Counter.builder(DROPPED_COUNTER)
                .description("Messages dropped from a full push queue")
                .tag("emitter", name)
                .register(registry);
  }

  @Override
  public void add(M message, @Nullable P origin) {
    requireNonNull(message, "message");
    synchronized (lock) {
      if (stopped) {
        return;
      }
      if (queue.size() >= capacity) {
        queue.removeFirst();
        if (dropped != null) {
          dropped.increment();
        }
      }
      queue.addLast(new Queued<>(message, origin, iterations));
      if (queue.size() >= burstSize) {
        if (immediate == null) {
          immediate = scheduler.schedule(this::flush, Duration.ZERO);
        }
      } else if (timer == null) {
        timer = scheduler.schedule(this::flush, burstLatency);
      }
    }
  }

  @Override
  public int size() {
    synchronized (lock) {
      return queue.size();
    }
  }

  @Override
  public void stop() {
    synchronized (lock) {
      stopped = true;
      cancelTasks();
      queue.clear();
    }
  }

  /** Emits every queued message once; runs on the scheduler. */
  private void flush() {
    List<Queued<M, P>> batch;
    synchronized (lock) {
      cancelTasks();
      if (stopped || queue.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(queue);
      for (Iterator<Queued<M, P>> it = queue.iterator(); it.hasNext(); ) {
        Queued<M, P> q = it.next();
        q.iterationsLeft--;
        if (q.iterationsLeft <= 0) {
          it.remove();
        }
      }
      if (!queue.isEmpty()) {
        timer = scheduler.schedule(this::flush, burstLatency);
      }
    }
    Map<P, List<M>> byDestination = route(batch);
    if (byDestination.isEmpty()) {
      return;
    }
    try {
      emit.emit(byDestination);
    } catch (RuntimeException e) {
      log.warn("emitter {}: emitting a batch of {} messages failed", name, batch.size(), e);
    }
  }

  @GuardedBy("lock")
  private void cancelTasks() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    if (immediate != null) {
      immediate.cancel();
      immediate = null;
    }
  }

  /** Chooses the destinations of each message and groups the messages by destination. */
  private Map<P, List<M>> route(List<Queued<M, P>> batch) {
    Map<P, List<M>> byDestination = new LinkedHashMap<>();
    for (Queued<M, P> q : batch) {
      for (P peer : choosePeers(q)) {
        byDestination.computeIfAbsent(peer, p -> new ArrayList<>()).add(q.message);
      }
    }
    Map<P, List<M>> frozen = new LinkedHashMap<>();
    byDestination.forEach((peer, messages) -> frozen.put(peer, List.copyOf(messages)));
    return Collections.unmodifiableMap(frozen);
  }

  /** Up to {@code peerNum} distinct eligible peers other than the origin, uniformly at random. */
  private List<P> choosePeers(Queued<M, P> q) {
    List<P> eligible;
    try {
      eligible = requireNonNull(selector.eligiblePeers(q.message), "eligible peers");
    } catch (RuntimeException e) {
      log.warn("emitter {}: the peer selector failed; message skipped this flush", name, e);
      return List.of();
    }
    LinkedHashSet<P> pool = new LinkedHashSet<>(eligible);
    if (q.origin != null) {
      pool.remove(q.origin);
    }
    return RandomPeers.choose(pool, peerNum, random);
  }

  @Override
  public String toString() {
    return "BatchingEmitter[" + name + ", queued=" + size() + "]";
  }
}
