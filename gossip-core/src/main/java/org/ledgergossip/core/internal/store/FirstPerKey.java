package org.ledgergossip.core.internal.store;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.function.Function;

/** {@link ReplacementPolicy#firstPerKey}: per key, the first message stored stays. */
final class FirstPerKey<M> implements ReplacementPolicy<M> {

  private final Function<? super M, ?> key;

  FirstPerKey(Function<? super M, ?> key) {
    this.key = requireNonNull(key, "key");
  }

  @Override
  public InvalidationResult evaluate(M incoming, M existing) {
    return Objects.equals(key.apply(incoming), key.apply(existing))
        ? InvalidationResult.INVALIDATED
        : InvalidationResult.NO_ACTION;
  }

  @Override
  public String toString() {
    return "firstPerKey";
  }
}
