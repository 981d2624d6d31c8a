package org.ledgergossip.core.internal.pull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;

/**
 * One pull round started by this engine: the hellos sent, the owners of each advertised item while
 * digests are collected, then the requests sent. Iteration orders are insertion orders, so that a
 * round driven by a seeded random generator in virtual time is reproducible.
 *
 * <p>Not thread-safe: confined to the {@link PullEngine}'s lock.
 */
final class PullRound<P> {

  /** This peer's part of the round with one remote peer: all four messages share its nonce. */
  static final class Exchange<P> {
    final P peer;
    final long nonce;
    final PullRound<P> round;
    boolean digestReceived;
    @Nullable Set<String> requested;
    boolean responded;

    Exchange(P peer, long nonce, PullRound<P> round) {
      this.peer = peer;
      this.nonce = nonce;
      this.round = round;
    }
  }

  final long startNanos;
  private final Map<P, Exchange<P>> byPeer = new LinkedHashMap<>();
  private final Map<String, List<P>> owners = new LinkedHashMap<>();
  private boolean collecting = true;
  private long requestsSentNanos;
  private @Nullable Cancellable digestTimer;

  PullRound(long startNanos) {
    this.startNanos = startNanos;
  }

  Exchange<P> addExchange(P peer, long nonce) {
    Exchange<P> exchange = new Exchange<>(peer, nonce, this);
    byPeer.put(peer, exchange);
    return exchange;
  }

  boolean hasPeer(P peer) {
    return byPeer.containsKey(peer);
  }

  Collection<Exchange<P>> exchanges() {
    return byPeer.values();
  }

  @Nullable Exchange<P> exchangeWith(P peer) {
    return byPeer.get(peer);
  }

  boolean collecting() {
    return collecting;
  }

  /**
   * Records that {@code owner} advertised {@code item}; a new item is only taken while fewer than
   * {@code maxCandidates} items are known.
   */
  void advertised(String item, P owner, int maxCandidates) {
    List<P> list = owners.get(item);
    if (list == null) {
      if (owners.size() >= maxCandidates) {
        return;
      }
      list = new ArrayList<>(2);
      owners.put(item, list);
    }
    if (!list.contains(owner)) {
      list.add(owner);
    }
  }

  /** The advertised items and their owners, in order of first advertisement. */
  Map<String, List<P>> owners() {
    return owners;
  }

  /** Ends digest collection: from now on the round only waits for responses. */
  void requestsSent(long nowNanos) {
    collecting = false;
    requestsSentNanos = nowNanos;
    owners.clear();
    digestTimer = null;
  }

  long requestsSentNanos() {
    return requestsSentNanos;
  }

  void digestTimer(Cancellable timer) {
    this.digestTimer = timer;
  }

  @Nullable Cancellable digestTimer() {
    return digestTimer;
  }
}
