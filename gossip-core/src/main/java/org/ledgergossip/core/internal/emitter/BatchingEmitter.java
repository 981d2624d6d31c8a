package org.ledgergossip.core.internal.emitter;

import static java.util.Objects.requireNonNull;
import static org.ledgergossip.core.internal.Arguments.positive;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.time.Scheduler;

/**
 * Fabric's batching emitter, the push phase of gossip: each message added is queued, and on every
 * flush each queued message is sent to up to {@code propagatePeerNum} peers chosen at random among
 * those its {@link PeerSelector} finds eligible, never to the peer it came from. A message stays
 * queued for {@code propagateIterations} flushes (one emission per flush, to freshly chosen peers)
 * and then leaves the queue.
 *
 * <p><b>When it flushes.</b> As soon as {@code maxPropagationBurstSize} messages are queued (the
 * flush is submitted to the scheduler and runs as soon as it can), and otherwise {@code
 * maxPropagationBurstLatency} after the first message was queued: the latency timer is armed only
 * while something is queued, and re-armed after a flush that leaves messages queued (with {@code
 * propagateIterations > 1}). Fabric's emitter instead wakes every latency whether or not anything
 * is queued, and flushes on size on the adding goroutine.
 *
 * <p><b>Per destination.</b> A flush calls {@link Emit} once with, for each chosen peer, the list
 * of messages for it, so that a transport can send them in one write. Fabric sends every message to
 * every chosen peer one by one. A flush in which no message has an eligible peer calls nothing, but
 * still counts as one of the messages' iterations.
 *
 * <p><b>Bound.</b> At most {@code capacity} messages are queued. Adding to a full queue drops the
 * oldest queued message (sent or not), counted in {@value #DROPPED_COUNTER}: for gossip the newest
 * information matters most, and the caller of {@link #add} (often a network handler) cannot wait.
 * Fabric's queue is unbounded.
 *
 * <p><b>Threading.</b> {@link #add}, {@link #size} and {@link #stop} are thread-safe and never
 * block on a flush; one lock guards the queue. Flushes run on the scheduler given to the builder,
 * one at a time; the {@link PeerSelector}, the random generator and {@link Emit} are called only
 * from flushes and outside the lock.
 *
 * <p><b>Nullability and errors.</b> Messages are never null; the origin is null for our own
 * messages. Exceptions thrown by the selector or by {@link Emit} are logged and swallowed.
 *
 * @param <M> the message type
 * @param <P> the peer type; must implement {@link Object#equals} and {@link Object#hashCode} (a
 *     {@code PkiId}, for example)
 */
public interface BatchingEmitter<M, P> {

  /** Counter of messages dropped from a full queue, tagged {@code emitter}. */
  String DROPPED_COUNTER = "gossip_emitter_dropped_total";

  /**
   * Queues {@code message} for {@code propagateIterations} flushes. Ignored after {@link #stop()}.
   *
   * @param origin the peer the message came from, never chosen as a destination; null for a message
   *     of our own
   */
  void add(M message, @Nullable P origin);

  /** How many messages are queued. */
  int size();

  /**
   * Cancels the timers and drops every queued message; later adds are ignored. A flush already
   * running on the scheduler finishes. Idempotent.
   */
  void stop();

  /**
   * A builder of an emitter that pushes through {@code emit} to peers chosen among those of {@code
   * selector}, flushing on {@code scheduler}.
   */
  static <M, P> Builder<M, P> builder(
      PeerSelector<M, P> selector, Emit<M, P> emit, Scheduler scheduler) {
    return new Builder<>(selector, emit, scheduler);
  }

  /**
   * Builds a {@link BatchingEmitter}. Defaults are Fabric's. Not thread-safe.
   *
   * @param <M> the message type
   * @param <P> the peer type
   */
  final class Builder<M, P> {
    final PeerSelector<M, P> selector;
    final Emit<M, P> emit;
    final Scheduler scheduler;
    int burstSize = 10;
    Duration burstLatency = Duration.ofMillis(10);
    int iterations = 1;
    int peerNum = 3;
    int capacity;
    @Nullable RandomGenerator random;
    @Nullable MeterRegistry meterRegistry;
    String name = "push";

    private Builder(PeerSelector<M, P> selector, Emit<M, P> emit, Scheduler scheduler) {
      this.selector = requireNonNull(selector, "selector");
      this.emit = requireNonNull(emit, "emit");
      this.scheduler = requireNonNull(scheduler, "scheduler");
    }

    /**
     * Takes {@code maxPropagationBurstSize}, {@code maxPropagationBurstLatency}, {@code
     * propagateIterations} and {@code propagatePeerNum} from {@code config}.
     *
     * @throws IllegalArgumentException if one of them is out of range (see the setters)
     */
    public Builder<M, P> config(GossipConfig config) {
      requireNonNull(config, "config");
      return maxPropagationBurstSize(config.maxPropagationBurstSize())
          .maxPropagationBurstLatency(config.maxPropagationBurstLatency())
          .propagateIterations(config.propagateIterations())
          .propagatePeerNum(config.propagatePeerNum());
    }

    /**
     * Sets how many queued messages trigger a flush (default 10).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<M, P> maxPropagationBurstSize(int size) {
      this.burstSize = positive(size, "maxPropagationBurstSize");
      return this;
    }

    /**
     * Sets the longest a queued message waits for a flush (default 10 ms).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<M, P> maxPropagationBurstLatency(Duration latency) {
      this.burstLatency = positive(latency, "maxPropagationBurstLatency");
      return this;
    }

    /**
     * Sets how many flushes emit each message (default 1).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<M, P> propagateIterations(int iterations) {
      this.iterations = positive(iterations, "propagateIterations");
      return this;
    }

    /**
     * Sets to how many peers at most each emission goes (default 3).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<M, P> propagatePeerNum(int peers) {
      this.peerNum = positive(peers, "propagatePeerNum");
      return this;
    }

    /**
     * Sets the most messages queued (default 100 × {@code maxPropagationBurstSize}); must be at
     * least {@code maxPropagationBurstSize}, checked by {@link #build()}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder<M, P> capacity(int capacity) {
      this.capacity = positive(capacity, "capacity");
      return this;
    }

    /**
     * Sets the source of the random peer choice (default an unseeded {@link SplittableRandom});
     * give a seeded one for reproducible runs. Used only on the scheduler, one flush at a time, so
     * it need not be thread-safe.
     */
    public Builder<M, P> random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** Sets where the counters go (default: counted nowhere). */
    public Builder<M, P> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the emitter's name, used as the {@code emitter} tag of its counters and in log lines
     * (default {@code "push"}).
     */
    public Builder<M, P> name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /**
     * Builds the emitter; no timer is armed until a message is added.
     *
     * @throws IllegalArgumentException if the capacity is below {@code maxPropagationBurstSize}
     */
    public BatchingEmitter<M, P> build() {
      int queueCapacity =
          capacity == 0 ? (int) Math.min(Integer.MAX_VALUE, 100L * burstSize) : capacity;
      if (queueCapacity < burstSize) {
        throw new IllegalArgumentException(
            "capacity ("
                + queueCapacity
                + ") must be at least maxPropagationBurstSize ("
                + burstSize
                + ")");
      }
      return new DefaultBatchingEmitter<>(this, queueCapacity);
    }
  }
}
