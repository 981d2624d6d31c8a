package org.ledgergossip.core.internal.store;

import static java.util.Objects.requireNonNull;

import java.util.function.ToLongFunction;

/**
 * {@link ReplacementPolicy#keepLast}: dedup by sequence number and keep only the newest {@code n}
 * numbers. Numbers compare unsigned, like Fabric's {@code uint64} block numbers.
 */
final class BlockWindow<M> implements ReplacementPolicy<M> {

  private final int size;
  private final ToLongFunction<? super M> seq;

  BlockWindow(int size, ToLongFunction<? super M> seq) {
    if (size <= 0) {
      throw new IllegalArgumentException("the block window must be positive, was " + size);
    }
    this.size = size;
    this.seq = requireNonNull(seq, "seq");
  }

  @Override
  public InvalidationResult evaluate(M incoming, M existing) {
    long s = seq.applyAsLong(incoming);
    long e = seq.applyAsLong(existing);
    int order = Long.compareUnsigned(s, e);
    if (order == 0) {
      return InvalidationResult.INVALIDATED;
    }
    // Unsigned distance between the two numbers; cannot wrap because we subtract the smaller.
    long distance = order > 0 ? s - e : e - s;
    if (Long.compareUnsigned(distance, size) < 0) {
      return InvalidationResult.NO_ACTION;
    }
    return order > 0 ? InvalidationResult.INVALIDATES : InvalidationResult.INVALIDATED;
  }

  @Override
  public String toString() {
    return "keepLast(" + size + ")";
  }
}
