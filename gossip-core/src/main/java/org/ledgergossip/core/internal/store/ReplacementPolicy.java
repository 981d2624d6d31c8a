package org.ledgergossip.core.internal.store;

import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.ledgergossip.api.PeerTime;

/**
 * Decides how an incoming message relates to a message already in a {@link MessageStore}: Fabric's
 * {@code common.MessageReplacingPolicy}. The store asks it once for every stored message (expired
 * ones included) each time a message is added.
 *
 * <p>A policy must be consistent: if {@code evaluate(a, b)} is {@link
 * InvalidationResult#INVALIDATES} then {@code evaluate(b, a)} should be {@link
 * InvalidationResult#INVALIDATED}, and {@link InvalidationResult#NO_ACTION} should be symmetric.
 * The store does not check it.
 *
 * <p><b>Threading.</b> Called under the store's lock, from any thread that adds: it must be fast,
 * side-effect free and thread-safe, and must not call the store. All the policies made here are
 * immutable and thread-safe.
 *
 * @param <M> the message type
 */
@FunctionalInterface
public interface ReplacementPolicy<M> {

  /**
   * Tells how {@code incoming} relates to {@code existing}; neither is null.
   *
   * @return {@link InvalidationResult#INVALIDATES} if {@code incoming} replaces {@code existing},
   *     {@link InvalidationResult#INVALIDATED} if {@code existing} makes {@code incoming} stale,
   *     else {@link InvalidationResult#NO_ACTION}; never null
   */
  InvalidationResult evaluate(M incoming, M existing);

  /**
   * Keeps, per key, the message with the newest {@link PeerTime}: for alive, state-info and
   * leadership messages, keyed by the PKI-ID of the peer they speak for. Of two messages with equal
   * keys (by {@link Object#equals}), the one with the strictly newer stamp wins; an incoming
   * message whose stamp is equal to or older than the stored one is refused, as in Fabric's {@code
   * compareTimestamps}. Messages with different keys are unrelated.
   *
   * @param key the key of a message; may return null (null equals null)
   * @param stamp the freshness stamp of a message; must not return null
   */
  static <M> ReplacementPolicy<M> newestPerKey(
      Function<? super M, ?> key, Function<? super M, PeerTime> stamp) {
    return new NewestPerKey<>(key, stamp);
  }

  /**
   * Keeps, per key, the first message stored: for peer identities keyed by PKI-ID. An incoming
   * message whose key equals (by {@link Object#equals}) a stored one's is refused.
   *
   * @param key the key of a message; may return null (null equals null)
   */
  static <M> ReplacementPolicy<M> firstPerKey(Function<? super M, ?> key) {
    return new FirstPerKey<>(key);
  }

  /**
   * The block store's window: messages are identified by a sequence number (the block number,
   * compared unsigned like Fabric's {@code uint64}); a second message with the same number is
   * refused, and only the newest {@code n} sequence numbers are kept. With {@code s} the incoming
   * number and {@code e} a stored one: {@code s == e} → refused; {@code s - e >= n} → the stored
   * one is dropped; {@code e - s >= n} → the incoming one is refused (older than the window);
   * otherwise both are kept. The store therefore holds at most {@code n} messages, with numbers in
   * {@code (highest - n, highest]}.
   *
   * <p>Fabric's comparator keeps a difference of up to {@code n} (so {@code n + 1} blocks); this
   * window keeps exactly the last {@code n} numbers, as {@code maxBlockCountToStore} says.
   *
   * @param n the window size, positive ({@code peer.gossip.maxBlockCountToStore}, 10 by default)
   * @param seq the sequence number of a message
   * @throws IllegalArgumentException if {@code n} is not positive
   */
  static <M> ReplacementPolicy<M> keepLast(int n, ToLongFunction<? super M> seq) {
    return new BlockWindow<>(n, seq);
  }
}
