package org.ledgergossip.peer.cli;

import java.util.Map;
import org.ledgergossip.peer.ops.LogLevels;
import org.ledgergossip.peer.ops.LogSpec;

/** The log levels of a daemon: {@code FABRIC_LOGGING_SPEC}, applied to Logback at start. */
final class Logging {

  /** The environment variable, Fabric's. */
  static final String VARIABLE = "FABRIC_LOGGING_SPEC";

  private Logging() {}

  /**
   * The levels of {@code environment}'s {@link #VARIABLE} (default {@code info}), applied.
   *
   * @throws IllegalArgumentException naming the variable, its value and why, if malformed
   */
  static LogLevels fromEnvironment(Map<String, String> environment) {
    String text = environment.getOrDefault(VARIABLE, "").trim();
    LogSpec spec;
    try {
      spec = text.isEmpty() ? LogSpec.INFO : LogSpec.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(VARIABLE + " = '" + text + "': " + e.getMessage(), e);
    }
    return LogLevels.logback(spec);
  }
}
