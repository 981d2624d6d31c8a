package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.node.NodeListener;

/**
 * When this peer last heard from each member, and since when each dead member is dead, for {@code
 * lastSeenMs} and {@code deadForMs} of {@code /status}. The membership view keeps these times but
 * does not expose them, so they are rebuilt here: membership events ({@code JOINED}, {@code
 * UPDATED}, {@code ALIVE_AGAIN}, {@code DEAD}) carry the exact time; an alive message that changes
 * nothing else fires no event, so a newer stamp ({@link Member#lastSeen()}) is noticed when {@link
 * #lastSeenMs} runs, and dated then. {@code lastSeenMs} can therefore be too small by up to the
 * interval between two {@code /status} calls (in practice at most {@code aliveTimeInterval}, after
 * which the next alive message arrives anyway); a member dead before this object was attached is
 * dated when first asked.
 *
 * <p>Bounded by the view: entries of purged members are removed on {@code PURGED} and by {@link
 * #retain}. Thread-safe.
 */
final class MemberTimes implements NodeListener {

  @GuardedBy("this")
  private final Map<PkiId, Seen> seen = new HashMap<>();

  @GuardedBy("this")
  private final Map<PkiId, Instant> deadSince = new HashMap<>();

  private record Seen(PeerTime stamp, Instant at) {}

  @Override
  public synchronized void onMembership(MembershipEvent event) {
    PkiId id = event.member().pkiId();
    switch (event.type()) {
      case JOINED, UPDATED, ALIVE_AGAIN -> {
        seen.put(id, new Seen(event.member().lastSeen(), event.at()));
        deadSince.remove(id);
      }
      case DEAD -> deadSince.putIfAbsent(id, event.at());
      case PURGED -> {
        seen.remove(id);
        deadSince.remove(id);
      }
    }
  }

  /** Milliseconds since the newest alive message of {@code m} was noticed, at {@code now}. */
  synchronized long lastSeenMs(Member m, Instant now) {
    requireNonNull(m, "m");
    Seen s = seen.get(m.pkiId());
    if (s == null || !s.stamp().equals(m.lastSeen())) {
      s = new Seen(m.lastSeen(), now);
      seen.put(m.pkiId(), s);
    }
    deadSince.remove(m.pkiId());
    return millisBetween(s.at(), now);
  }

  /** Milliseconds since {@code m} was declared dead (or first found dead), at {@code now}. */
  synchronized long deadForMs(Member m, Instant now) {
    requireNonNull(m, "m");
    Instant since = deadSince.computeIfAbsent(m.pkiId(), id -> now);
    return millisBetween(since, now);
  }

  /** Forgets every member not in {@code known}. */
  synchronized void retain(Set<PkiId> known) {
    seen.keySet().retainAll(known);
    deadSince.keySet().retainAll(known);
  }

  private static long millisBetween(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis());
  }
}
