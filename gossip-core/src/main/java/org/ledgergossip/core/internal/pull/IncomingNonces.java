package org.ledgergossip.core.internal.pull;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The responder's side of pull: the nonces of the digests this engine sent, by (peer, nonce),
 * oldest first. A request is answered only for an entry here. Entries are kept in the order they
 * were made, which is the order of their timestamps because they are made under the engine's lock
 * with its monotonic clock, so expiry only looks at the head.
 *
 * <p>Not thread-safe: confined to the {@link PullEngine}'s lock.
 */
final class IncomingNonces<P> {

  record Key<P>(P peer, long nonce) {}

  /** A digest we sent. */
  static final class Entry {
    final long digestSentNanos;
    boolean requested;

    Entry(long digestSentNanos) {
      this.digestSentNanos = digestSentNanos;
    }
  }

  private final Map<Key<P>, Entry> entries = new LinkedHashMap<>();

  @Nullable Entry get(P peer, long nonce) {
    return entries.get(new Key<>(peer, nonce));
  }

  Entry put(P peer, long nonce, long nowNanos) {
    Entry entry = new Entry(nowNanos);
    entries.put(new Key<>(peer, nonce), entry);
    return entry;
  }

  void removeIfSame(P peer, long nonce, Entry entry) {
    entries.remove(new Key<>(peer, nonce), entry);
  }

  int size() {
    return entries.size();
  }

  /** Forgets the entries made more than {@code maxAgeNanos} before {@code nowNanos}. */
  void forgetOlderThan(long nowNanos, long maxAgeNanos) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      if (nowNanos - it.next().digestSentNanos <= maxAgeNanos) {
        return;
      }
      it.remove();
    }
  }

  void clear() {
    entries.clear();
  }
}
