package org.ledgergossip.core.internal.block;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.msp.Identity;

/** A bounded LRU map of serialized identity → validated identity. Thread-safe (synchronized). */
final class IdentityCache {

  private final LinkedHashMap<Bytes, Identity> map;

  IdentityCache(int capacity) {
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Bytes, Identity> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized @Nullable Identity get(Bytes serialized) {
    return map.get(serialized);
  }

  synchronized void put(Bytes serialized, Identity identity) {
    map.put(serialized, identity);
  }

  synchronized void clear() {
    map.clear();
  }
}
