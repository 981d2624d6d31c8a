package org.ledgergossip.bench;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PkiId;

/**
 * Follows one peer's membership events, stamped by the view's clock: which peers it holds alive,
 * when it first held all {@code expected} others alive, and every peer it declared dead and when.
 * Thread-safe; the view calls it one event at a time, the scenario reads it from another thread.
 */
final class MembershipTracker implements Consumer<MembershipEvent> {

  /** A peer declared dead, and when. */
  record Death(PkiId peer, Instant at) {}

  private final int expected;
  private final AtomicInteger fullPeers;

  @GuardedBy("this")
  private final Set<PkiId> alive = new HashSet<>();

  @GuardedBy("this")
  private @Nullable Instant fullAt;

  @GuardedBy("this")
  private final List<Death> deaths = new ArrayList<>();

  @GuardedBy("this")
  private final Map<PkiId, Instant> firstDeath = new HashMap<>();

  /**
   * A tracker that counts itself in {@code fullPeers} the first time it holds {@code expected}
   * peers alive.
   */
  MembershipTracker(int expected, AtomicInteger fullPeers) {
    this.expected = expected;
    this.fullPeers = fullPeers;
  }

  @Override
  public synchronized void accept(MembershipEvent e) {
    PkiId peer = e.member().pkiId();
    switch (e.type()) {
      case JOINED, ALIVE_AGAIN -> alive.add(peer);
      case DEAD -> {
        alive.remove(peer);
        deaths.add(new Death(peer, e.at()));
        firstDeath.putIfAbsent(peer, e.at());
      }
      case PURGED -> alive.remove(peer);
      case UPDATED -> {}
    }
    if (fullAt == null && alive.size() >= expected) {
      fullAt = e.at();
      fullPeers.incrementAndGet();
    }
  }

  /** When this peer first held every other peer alive, if it has. */
  synchronized Optional<Instant> fullAt() {
    return Optional.ofNullable(fullAt);
  }

  /** How many peers this peer holds alive now. */
  synchronized int aliveCount() {
    return alive.size();
  }

  /** When this peer first declared {@code peer} dead at or after {@code since}, if it has. */
  synchronized Optional<Instant> deadAt(PkiId peer, Instant since) {
    Instant first = firstDeath.get(peer);
    if (first != null && !first.isBefore(since)) {
      return Optional.of(first);
    }
    for (Death d : deaths) {
      if (d.peer().equals(peer) && !d.at().isBefore(since)) {
        return Optional.of(d.at());
      }
    }
    return Optional.empty();
  }

  /** Every death this peer declared at or after {@code since}, in order. */
  synchronized List<Death> deathsSince(Instant since) {
    List<Death> out = new ArrayList<>();
    for (Death d : deaths) {
      if (!d.at().isBefore(since)) {
        out.add(d);
      }
    }
    return out;
  }
}
