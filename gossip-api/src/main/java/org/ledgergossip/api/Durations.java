package org.ledgergossip.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations as Fabric (Go's {@code time.ParseDuration}) writes them. */
final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * Parses {@code 10ms}, {@code 4s}, {@code 1m30s}, {@code 1.5s}, {@code 2h}. A bare number is
   * refused: the unit is required.
   */
  static Duration parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("expected a duration such as 4s or 500ms");
    }
    Matcher m = PART.matcher(text);
    int at = 0;
    long nanos = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(
            "expected a duration such as 4s, 500ms or 1m30s (a unit is required)");
      }
      double amount = Double.parseDouble(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = Math.addExact(nanos, Math.round(amount * unit));
      at = m.end();
    }
    return Duration.ofNanos(nanos);
  }

  /** The shortest exact form: {@code 10ms}, {@code 4s}, {@code 1500ms}, {@code 2m}. */
  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    String[] names = {"h", "m", "s", "ms", "us"};
    for (int i = 0; i < units.length; i++) {
      if (nanos % units[i] == 0) {
        return nanos / units[i] + names[i];
      }
    }
    return nanos + "ns";
  }
}
