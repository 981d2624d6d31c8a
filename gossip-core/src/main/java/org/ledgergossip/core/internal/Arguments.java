package org.ledgergossip.core.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The argument checks the builders of the gossip engine share, so that every builder refuses a bad
 * setting with the same message: {@code <name> must be positive, was <value>}. Stateless.
 */
public final class Arguments {

  private Arguments() {}

  /**
   * Returns {@code value} if it is positive.
   *
   * @throws NullPointerException naming {@code name} if {@code value} is null
   * @throws IllegalArgumentException if it is zero or negative
   */
  public static Duration positive(Duration value, String name) {
    requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  /**
   * Returns {@code value} if it is positive.
   *
   * @throws IllegalArgumentException if it is zero or negative
   */
  public static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
