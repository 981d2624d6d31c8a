package org.ledgergossip.core.internal.store;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.function.Function;
import org.ledgergossip.api.PeerTime;

/** {@link ReplacementPolicy#newestPerKey}: per key, the strictly newer stamp wins. */
final class NewestPerKey<M> implements ReplacementPolicy<M> {

  private final Function<? super M, ?> key;
  private final Function<? super M, PeerTime> stamp;

  NewestPerKey(Function<? super M, ?> key, Function<? super M, PeerTime> stamp) {
    this.key = requireNonNull(key, "key");
    this.stamp = requireNonNull(stamp, "stamp");
  }

  @Override
  public InvalidationResult evaluate(M incoming, M existing) {
    if (!Objects.equals(key.apply(incoming), key.apply(existing))) {
      return InvalidationResult.NO_ACTION;
    }
    return stamp.apply(incoming).isNewerThan(stamp.apply(existing))
        ? InvalidationResult.INVALIDATES
        : InvalidationResult.INVALIDATED;
  }

  @Override
  public String toString() {
    return "newestPerKey";
  }
}
