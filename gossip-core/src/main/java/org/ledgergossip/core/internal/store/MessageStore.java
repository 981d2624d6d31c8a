package org.ledgergossip.core.internal.store;

import static java.util.Objects.requireNonNull;
import static org.ledgergossip.core.internal.Arguments.positive;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Scheduler;

/**
 * A bounded store of gossip messages with a replacement policy: Fabric's {@code
 * msgstore.MessageStore}. Alive, state-info and leadership messages keep the newest per peer,
 * identities the first, blocks a window of the last few numbers (see {@link ReplacementPolicy}).
 *
 * <p><b>Adding.</b> {@link #add} asks the policy about every stored message, expired ones included.
 * If any stored message makes the incoming one stale, it is refused and nothing changes (counted in
 * {@value #REFUSED_COUNTER}). Otherwise every stored message it invalidates is removed and the
 * incoming one is appended. Unlike Fabric, which removes as it scans, the decision is all or
 * nothing even for an inconsistent policy. Cost: one policy call per stored message, as in Fabric.
 *
 * <p><b>Expiry</b> (only when built with {@link Builder#expireAfter}). A message expires exactly
 * TTL after it was added, measured on the scheduler's clock: it is reported to the listener as
 * {@link RemovalCause#EXPIRED} and no longer returned by {@link #messages()}, {@link #get} or
 * {@link #size()}, but it still refuses stale duplicates (a peer cannot resurrect an old alive
 * message by re-sending it), until it is deleted at twice the TTL. As in Fabric. One timer is armed
 * at a time, for the next due expiry or deletion, only while the store holds messages; Fabric polls
 * every TTL/100 instead.
 *
 * <p><b>Bound.</b> At most {@code maxSize} messages are held, expired ones included. When a new
 * message is accepted into a full store, the oldest held message is evicted (counted in {@value
 * #EVICTED_COUNTER}; reported as {@link RemovalCause#EVICTED} unless it had already expired). Since
 * expired messages are the oldest, they go first. Evicting rather than refusing is the choice
 * because gossip values fresh information: a refusing store, once filled, would shut out every new
 * peer or block until its contents expired. Fabric's stores are unbounded.
 *
 * <p><b>Threading.</b> Thread-safe, with one lock per store held for every operation; the policy is
 * called under the lock, the {@link RemovalListener} outside it (see there), and the predicates of
 * {@link #get} and {@link #purge} outside it on a snapshot. Expiry runs as a task of the store's
 * scheduler. Fabric's {@code externalLock} hooks do not exist here: an owner that needs its own
 * state and the store to change together serialises its calls itself.
 *
 * <p><b>Nullability and errors.</b> No argument may be null; a null message throws {@link
 * NullPointerException}. Exceptions thrown by the policy propagate out of {@link #add} and {@link
 * #checkValid} with the store unchanged.
 *
 * @param <M> the message type; messages are compared only by the policy and kept by reference
 */
public interface MessageStore<M> {

  /** Counter of messages refused by the policy, tagged {@code store}. */
  String REFUSED_COUNTER = "gossip_store_refused_total";

  /** Counter of messages evicted because the store was full, tagged {@code store}. */
  String EVICTED_COUNTER = "gossip_store_evicted_total";

  /** Counter of messages expired after the TTL, tagged {@code store}. */
  String EXPIRED_COUNTER = "gossip_store_expired_total";

  /** The default of {@link Builder#maxSize}. */
  int DEFAULT_MAX_SIZE = 10_000;

  /**
   * Adds {@code message} unless a stored message (expired or not) makes it stale; removes the
   * stored messages it invalidates and tells the listener about them before returning.
   *
   * @return true if the message was added, false if it was refused
   */
  boolean add(M message);

  /**
   * Tells whether {@link #add} would accept {@code message} now, without changing anything:
   * Fabric's {@code CheckValid}, used to skip verifying the signature of a message that would be
   * refused.
   */
  boolean checkValid(M message);

  /** The messages neither expired nor removed, oldest first; an immutable snapshot. */
  List<M> messages();

  /** The oldest message neither expired nor removed that {@code which} accepts, if any. */
  Optional<M> get(Predicate<? super M> which);

  /** How many messages {@link #messages()} would return. */
  int size();

  /**
   * Removes every stored message, expired or not, that {@code which} accepts; those not yet expired
   * are reported as {@link RemovalCause#PURGED}.
   *
   * @return how many messages were removed, expired ones included
   */
  int purge(Predicate<? super M> which);

  /**
   * Stops expiry: cancels the timer; messages no longer expire or get deleted. The store otherwise
   * keeps working. Idempotent. Does nothing for a store without TTL.
   */
  void stop();

  /** A builder of a store that applies {@code policy}. */
  static <M> Builder<M> builder(ReplacementPolicy<M> policy) {
    return new Builder<>(policy);
  }

  /**
   * Builds a {@link MessageStore}. Not thread-safe.
   *
   * @param <M> the message type
   */
  final class Builder<M> {
    /** Twice this still fits in a long of nanoseconds. */
    private static final Duration MAX_TTL = Duration.ofNanos(Long.MAX_VALUE / 2);

    final ReplacementPolicy<M> policy;
    int maxSize = DEFAULT_MAX_SIZE;
    @Nullable Scheduler scheduler;
    @Nullable Duration ttl;
    RemovalListener<? super M> listener = (m, cause) -> {};
    @Nullable MeterRegistry meterRegistry;
    String name = "messages";

    private Builder(ReplacementPolicy<M> policy) {
      this.policy = requireNonNull(policy, "policy");
    }

    /**
     * Sets the most messages held, expired ones included (default {@value
     * MessageStore#DEFAULT_MAX_SIZE}).
     *
     * @throws IllegalArgumentException if {@code maxSize} is not positive
     */
    public Builder<M> maxSize(int maxSize) {
      this.maxSize = positive(maxSize, "maxSize");
      return this;
    }

    /**
     * Makes messages expire {@code ttl} after they were added and deletes them at twice {@code
     * ttl}, timed by {@code scheduler} (whose clock stamps the messages). Without this call
     * messages never expire. For the block store Fabric uses 100 × {@code pullInterval}.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive or twice it overflows
     */
    public Builder<M> expireAfter(Duration ttl, Scheduler scheduler) {
      positive(ttl, "ttl");
      if (ttl.compareTo(MAX_TTL) > 0) {
        throw new IllegalArgumentException("ttl must be at most " + MAX_TTL + ", was " + ttl);
      }
      this.ttl = ttl;
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Sets who is told when a message stops being returned (default: nobody). */
    public Builder<M> removalListener(RemovalListener<? super M> listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /** Sets where the counters go (default: counted nowhere). */
    public Builder<M> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the store's name, used as the {@code store} tag of its counters and in log lines
     * (default {@code "messages"}), e.g. {@code "alive"} or {@code "blocks/mychannel"}.
     */
    public Builder<M> name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** Builds the store; its expiry timer is armed only once it holds a message. */
    public MessageStore<M> build() {
      return new DefaultMessageStore<>(this);
    }
  }
}
