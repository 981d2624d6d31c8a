package org.ledgergossip.bench;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One machine-readable result line of BENCHMARKS.md: {@code RESULT scenario=<name> key=value ...},
 * keys in lower_snake_case and in the order they were put, times in milliseconds. Not thread-safe.
 */
final class ResultLine {

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern VALUE = Pattern.compile("[^\\s=]+");

  private final Map<String, String> fields = new LinkedHashMap<>();

  private ResultLine(String scenario) {
    put("scenario", scenario);
  }

  /** A line for {@code scenario}. */
  static ResultLine of(String scenario) {
    return new ResultLine(scenario);
  }

  /**
   * Adds (or replaces) {@code key=value}.
   *
   * @throws IllegalArgumentException if the key is not lower_snake_case or the value is empty or
   *     holds a space or an equals sign
   */
  @CanIgnoreReturnValue
  ResultLine put(String key, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("result key '" + key + "' is not lower_snake_case");
    }
    if (!VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "result value '" + value + "' of " + key + " is empty or has a space or '='");
    }
    fields.put(key, value);
    return this;
  }

  /** Adds a whole number. */
  @CanIgnoreReturnValue
  ResultLine put(String key, long value) {
    return put(key, Long.toString(value));
  }

  /** Adds {@code true} or {@code false}. */
  @CanIgnoreReturnValue
  ResultLine put(String key, boolean value) {
    return put(key, Boolean.toString(value));
  }

  /** Adds a decimal number with one digit after the point ({@code nan} if not finite). */
  @CanIgnoreReturnValue
  ResultLine put(String key, double value) {
    return put(key, Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "nan");
  }

  /** Adds a duration in milliseconds, with one digit after the point. */
  @CanIgnoreReturnValue
  ResultLine putMillis(String key, Duration value) {
    return put(key, value.toNanos() / 1e6);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("RESULT");
    fields.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    return b.toString();
  }
}
