package org.ledgergossip.peer.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Fabric (Go's {@code time.ParseDuration}) writes them: {@code 10ms}, {@code 4s},
 * {@code 1m30s}, with an optional sign. A negative value is parsed, not refused, so that the rules
 * of {@link org.ledgergossip.api.GossipConfig} report it as "must be positive" with the key.
 */
final class GoDurations {

  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final long[] UNITS = {
    3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L
  };
  private static final String[] NAMES = {"h", "m", "s", "ms", "us"};

  private GoDurations() {}

  /**
   * Parses {@code [-+]?(number unit)+}, or {@code 0}.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  static Duration parse(String text) {
    String s = text.trim();
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("expected a duration such as 4s, 500ms or 1m30s");
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    long nanos = 0;
    while (at < s.length()) {
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
      double part = amount * unit;
      if (part > Long.MAX_VALUE / 2.0) {
        throw new IllegalArgumentException("duration too long");
      }
      nanos = Math.addExact(nanos, Math.round(part));
      at = m.end();
    }
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /**
   * The shortest exact form that {@link #parse} reads back: {@code 10ms}, {@code 4s}, {@code 2m}.
   */
  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long abs = Math.abs(nanos);
    for (int i = 0; i < UNITS.length; i++) {
      if (abs % UNITS[i] == 0) {
        return sign + abs / UNITS[i] + NAMES[i];
      }
    }
    return sign + abs + "ns";
  }
}
