package org.ledgergossip.core.internal.pull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The responder's half of pull: answers hellos with digests and requests with responses, and
 * remembers which digests it sent to whom, for how long.
 *
 * <p>Thread-safe: its state is guarded by the engine's lock; the adapter and the egress filter are
 * called without it.
 */
final class Responder<P> {

  private final PullState<P> s;

  @GuardedBy("s.lock")
  private final IncomingNonces<P> incoming = new IncomingNonces<>();

  Responder(PullState<P> state) {
    this.s = state;
  }

  void onHello(@Nullable P from, long nonce) {
    if (from == null) {
      s.ignore(IgnoreReason.MALFORMED, null, nonce);
      return;
    }
    List<String> snapshot;
    int offset;
    IncomingNonces.Entry entry;
    synchronized (s.lock) {
      if (s.stopped) {
        s.ignore(IgnoreReason.STOPPED, from, nonce);
        return;
      }
      long now = s.clock.nanoTime();
      incoming.forgetOlderThan(now, 2 * s.requestWaitNanos);
      if (incoming.get(from, nonce) != null) {
        s.ignore(IgnoreReason.DUPLICATE, from, nonce);
        return;
      }
      if (incoming.size() >= s.maxOutstandingNonces) {
        incoming.forgetOlderThan(now, s.requestWaitNanos);
        if (incoming.size() >= s.maxOutstandingNonces) {
          s.ignore(IgnoreReason.TOO_MANY_NONCES, from, nonce);
          return;
        }
      }
      if (s.items.isEmpty()) {
        return;
      }
      snapshot = new ArrayList<>(s.items);
      // More items than fit in one digest: disclose a window starting at a random position, so
      // that successive hellos together cover every item.
      offset = snapshot.size() > s.maxDigestsPerMessage ? s.random.nextInt(snapshot.size()) : 0;
      entry = incoming.put(from, nonce, now);
    }
    List<String> digest = s.disclosed(from, snapshot, offset, nonce);
    if (digest == null || digest.isEmpty()) {
      synchronized (s.lock) {
        incoming.removeIfSame(from, nonce, entry);
      }
      return;
    }
    List<String> message = Collections.unmodifiableList(digest);
    s.send("digest", from, () -> s.adapter.sendDigest(from, message, nonce));
  }

  void onRequest(@Nullable P from, @Nullable List<String> requested, long nonce) {
    List<String> asked = s.validated(from, requested, nonce);
    if (from == null || asked == null) {
      return;
    }
    List<String> have = new ArrayList<>(asked.size());
    synchronized (s.lock) {
      if (s.stopped) {
        s.ignore(IgnoreReason.STOPPED, from, nonce);
        return;
      }
      long now = s.clock.nanoTime();
      incoming.forgetOlderThan(now, 2 * s.requestWaitNanos);
      IncomingNonces.Entry entry = incoming.get(from, nonce);
      if (entry == null) {
        s.ignore(IgnoreReason.UNKNOWN_NONCE, from, nonce);
        return;
      }
      if (now - entry.digestSentNanos > s.requestWaitNanos) {
        s.ignore(IgnoreReason.REQUEST_TOO_LATE, from, nonce);
        return;
      }
      if (entry.requested) {
        s.ignore(IgnoreReason.DUPLICATE, from, nonce);
        return;
      }
      entry.requested = true;
      for (String item : new LinkedHashSet<>(asked)) {
        if (s.items.contains(item)) {
          have.add(item);
        }
      }
    }
    List<String> disclosed = s.disclosed(from, have, 0, nonce);
    if (disclosed == null || disclosed.isEmpty()) {
      return;
    }
    List<String> message = Collections.unmodifiableList(disclosed);
    s.send("response", from, () -> s.adapter.sendResponse(from, message, nonce));
  }

  /** Forgets every digest sent. */
  void clear() {
    synchronized (s.lock) {
      incoming.clear();
    }
  }
}
