package org.ledgergossip.core.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The random choice of peers the gossip engine makes everywhere (push targets, pull partners,
 * membership syncs): a uniform random subset, without repetition. Stateless.
 */
public final class RandomPeers {

  private RandomPeers() {}

  /**
   * A uniformly random subset of {@code min(n, candidates.size())} distinct elements of {@code
   * candidates}, in random order (a partial Fisher-Yates shuffle of a copy).
   *
   * <p>{@code random} is used while synchronized on it, so one generator may serve several threads.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public static <T> List<T> choose(Collection<T> candidates, int n, RandomGenerator random) {
    requireNonNull(candidates, "candidates");
    requireNonNull(random, "random");
    if (n < 0) {
      throw new IllegalArgumentException("n must not be negative, was " + n);
    }
    List<T> pool = new ArrayList<>(candidates);
    int k = Math.min(n, pool.size());
    synchronized (random) {
      for (int i = 0; i < k; i++) {
        Collections.swap(pool, i, i + random.nextInt(pool.size() - i));
      }
    }
    return List.copyOf(pool.subList(0, k));
  }
}
