package org.ledgergossip.core.internal.pull;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.core.internal.pull.PullRound.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initiator's half of pull: the periodic rounds (hello → collect digests → request from a
 * random owner → accept responses), and the nonces they sent.
 *
 * <p>Thread-safe: its state is guarded by the engine's lock; rounds and their timers run on the
 * scheduler; the adapter, the ingress filter and the listener are called without the lock.
 */
final class Initiator<P> {

  private static final Logger log = LoggerFactory.getLogger(PullEngine.class);
  private static final int NONCE_ATTEMPTS = 64;

  private final PullState<P> s;

  /** Rounds in start order; a round is forgotten 2 × responseWaitTime after its requests. */
  @GuardedBy("s.lock")
  private final ArrayDeque<PullRound<P>> rounds = new ArrayDeque<>();

  /** The exchanges of the remembered rounds, by the nonce of their hello. */
  @GuardedBy("s.lock")
  private final Map<Long, Exchange<P>> outgoing = new HashMap<>();

  @GuardedBy("s.lock")
  private @Nullable Cancellable periodic;

  Initiator(PullState<P> state) {
    this.s = state;
  }

  /** Schedules the periodic round. */
  void start() {
    synchronized (s.lock) {
      periodic =
          s.scheduler.scheduleAtFixedRate(this::initiatePull, s.pullInterval, s.pullInterval);
    }
  }

  /** Forgets every round; returns the timers to cancel (outside the lock). */
  List<Cancellable> stop() {
    List<Cancellable> timers = new ArrayList<>();
    synchronized (s.lock) {
      stopLocked(timers);
    }
    return timers;
  }

  @GuardedBy("s.lock")
  private void stopLocked(List<Cancellable> timers) {
    if (periodic != null) {
      timers.add(periodic);
      periodic = null;
    }
    for (PullRound<P> round : rounds) {
      Cancellable timer = round.digestTimer();
      if (timer != null) {
        timers.add(timer);
      }
    }
    rounds.clear();
    outgoing.clear();
  }

  void onDigest(@Nullable P from, @Nullable List<String> digests, long nonce) {
    List<String> advertised = s.validated(from, digests, nonce);
    if (from == null || advertised == null) {
      return;
    }
    List<String> wanted = new ArrayList<>(advertised.size());
    try {
      for (String item : advertised) {
        if (s.ingressFilter.test(item)) {
          wanted.add(item);
        }
      }
    } catch (RuntimeException e) {
      log.warn("pull {}: the ingress filter failed for a digest from {}", s.instance, from, e);
      s.ignore(IgnoreReason.FILTER_FAILED, from, nonce);
      return;
    }
    synchronized (s.lock) {
      Exchange<P> exchange = exchangeFor(from, nonce);
      if (exchange == null) {
        return;
      }
      PullRound<P> round = exchange.round;
      if (!round.collecting() || s.clock.nanoTime() - round.startNanos > s.digestWaitNanos) {
        s.ignore(IgnoreReason.DIGEST_TOO_LATE, from, nonce);
        return;
      }
      if (exchange.digestReceived) {
        s.ignore(IgnoreReason.DUPLICATE, from, nonce);
        return;
      }
      exchange.digestReceived = true;
      for (String item : wanted) {
        if (!s.items.contains(item)) {
          round.advertised(item, from, s.maxItems);
        }
      }
    }
  }

  void onResponse(@Nullable P from, @Nullable List<String> pulled, long nonce) {
    List<String> received = s.validated(from, pulled, nonce);
    if (from == null || received == null) {
      return;
    }
    List<String> accepted = new ArrayList<>(received.size());
    synchronized (s.lock) {
      Exchange<P> exchange = exchangeFor(from, nonce);
      if (exchange == null) {
        return;
      }
      Set<String> requested = exchange.requested;
      if (requested == null) {
        s.ignore(IgnoreReason.NOT_REQUESTED, from, nonce);
        return;
      }
      if (exchange.responded) {
        s.ignore(IgnoreReason.DUPLICATE, from, nonce);
        return;
      }
      if (s.clock.nanoTime() - exchange.round.requestsSentNanos() > s.responseWaitNanos) {
        s.ignore(IgnoreReason.RESPONSE_TOO_LATE, from, nonce);
        return;
      }
      if (!requested.containsAll(received)) {
        s.ignore(IgnoreReason.UNREQUESTED_ITEMS, from, nonce);
        return;
      }
      exchange.responded = true;
      for (String item : received) {
        if (s.addLocked(item)) {
          accepted.add(item);
        }
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    try {
      s.listener.onItemsPulled(from, Collections.unmodifiableList(accepted));
    } catch (RuntimeException e) {
      log.warn("pull {}: the items listener failed for items from {}", s.instance, from, e);
    }
  }

  /** One round: a hello to each selected peer, and the timer that ends digest collection. */
  private void initiatePull() {
    synchronized (s.lock) {
      if (periodic == null) {
        return;
      }
    }
    List<P> peers;
    try {
      peers = requireNonNull(s.adapter.selectPeers(), "selectPeers() returned null");
    } catch (RuntimeException e) {
      log.warn("pull {}: selectPeers failed; skipping this round", s.instance, e);
      return;
    }
    List<Exchange<P>> hellos = new ArrayList<>();
    synchronized (s.lock) {
      if (periodic == null) {
        return;
      }
      long now = s.clock.nanoTime();
      forgetRounds(now, 2 * s.responseWaitNanos);
      if (outgoing.size() + peers.size() > s.maxOutstandingNonces) {
        forgetRounds(now, s.responseWaitNanos);
      }
      PullRound<P> round = new PullRound<>(now);
      for (P peer : peers) {
        if (peer == null || round.hasPeer(peer)) {
          continue;
        }
        Long nonce = outgoing.size() < s.maxOutstandingNonces ? freshNonce() : null;
        if (nonce == null) {
          log.debug(
              "pull {}: {} nonces outstanding; not every peer greeted",
              s.instance,
              outgoing.size());
          break;
        }
        Exchange<P> exchange = round.addExchange(peer, nonce);
        outgoing.put(nonce, exchange);
        hellos.add(exchange);
      }
      if (hellos.isEmpty()) {
        return;
      }
      rounds.addLast(round);
      round.digestTimer(s.scheduler.schedule(() -> endDigestPhase(round), s.digestWaitTime));
    }
    for (Exchange<P> e : hellos) {
      s.send("hello", e.peer, () -> s.adapter.hello(e.peer, e.nonce));
    }
  }

  /** After digestWaitTime: each missing item from a random advertiser, one request per owner. */
  private void endDigestPhase(PullRound<P> round) {
    Map<Exchange<P>, List<String>> plan = new LinkedHashMap<>();
    synchronized (s.lock) {
      if (periodic == null || !round.collecting()) {
        return;
      }
      int room = s.maxItems - s.items.size();
      for (Map.Entry<String, List<P>> advert : round.owners().entrySet()) {
        if (room <= 0) {
          break;
        }
        String item = advert.getKey();
        if (s.items.contains(item)) {
          continue;
        }
        List<P> owners = advert.getValue();
        P owner = owners.size() == 1 ? owners.get(0) : owners.get(s.random.nextInt(owners.size()));
        Exchange<P> exchange = requireNonNull(round.exchangeWith(owner), "owner not in round");
        List<String> forOwner = plan.computeIfAbsent(exchange, k -> new ArrayList<>());
        if (forOwner.size() < s.maxDigestsPerMessage) {
          forOwner.add(item);
          room--;
        }
      }
      round.requestsSent(s.clock.nanoTime());
      for (Map.Entry<Exchange<P>, List<String>> request : plan.entrySet()) {
        request.getKey().requested = new HashSet<>(request.getValue());
      }
    }
    for (Map.Entry<Exchange<P>, List<String>> request : plan.entrySet()) {
      Exchange<P> e = request.getKey();
      List<String> items = Collections.unmodifiableList(request.getValue());
      s.send("request", e.peer, () -> s.adapter.sendRequest(e.peer, items, e.nonce));
    }
  }

  /** The exchange {@code nonce} names, if {@code from} is its peer; otherwise null, counted. */
  @GuardedBy("s.lock")
  private @Nullable Exchange<P> exchangeFor(P from, long nonce) {
    if (s.stopped) {
      s.ignore(IgnoreReason.STOPPED, from, nonce);
      return null;
    }
    forgetRounds(s.clock.nanoTime(), 2 * s.responseWaitNanos);
    Exchange<P> exchange = outgoing.get(nonce);
    if (exchange == null) {
      s.ignore(IgnoreReason.UNKNOWN_NONCE, from, nonce);
      return null;
    }
    if (!exchange.peer.equals(from)) {
      s.ignore(IgnoreReason.WRONG_PEER, from, nonce);
      return null;
    }
    return exchange;
  }

  /** Forgets the rounds whose requests went out more than {@code ageNanos} ago, oldest first. */
  @GuardedBy("s.lock")
  private void forgetRounds(long now, long ageNanos) {
    PullRound<P> oldest;
    while ((oldest = rounds.peekFirst()) != null
        && !oldest.collecting()
        && now - oldest.requestsSentNanos() > ageNanos) {
      rounds.pollFirst();
      for (Exchange<P> exchange : oldest.exchanges()) {
        outgoing.remove(exchange.nonce, exchange);
      }
    }
  }

  @GuardedBy("s.lock")
  private @Nullable Long freshNonce() {
    for (int i = 0; i < NONCE_ATTEMPTS; i++) {
      long nonce = s.random.nextLong();
      if (!outgoing.containsKey(nonce)) {
        return nonce;
      }
    }
    log.warn("pull {}: no unused nonce in {} draws from the generator", s.instance, NONCE_ATTEMPTS);
    return null;
  }
}
