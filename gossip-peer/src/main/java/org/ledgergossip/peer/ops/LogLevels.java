package org.ledgergossip.peer.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a {@link LogSpec} takes effect: the logging backend's levels. {@code PUT /logspec} parses
 * the spec and hands it to {@link #apply}; {@code GET /logspec} shows {@link #spec()}. The daemon
 * plugs in its backend (Logback, say); {@link #recording} only remembers the spec, {@link #logback}
 * changes Logback's levels.
 *
 * <p>Implementations are thread-safe.
 */
public interface LogLevels {

  /** The spec in force, as last applied. */
  LogSpec spec();

  /**
   * Makes {@code spec} the spec in force.
   *
   * @throws IllegalArgumentException if the backend cannot take it (the message says why)
   */
  void apply(LogSpec spec);

  /** Levels that only remember the spec, starting from {@code initial}: nothing else changes. */
  static LogLevels recording(LogSpec initial) {
    return new RecordingLogLevels(initial);
  }

  /**
   * Levels of Logback, the daemon's logging backend: the spec's default level on the root logger
   * and each named logger's level, Fabric's module names mapped by {@link #fabricModuleToLogger}
   * ({@code gossip.election} → {@code org.ledgergossip.election}). When Logback is not slf4j's
   * backend, the spec is only remembered and a warning says so.
   */
  static LogLevels logback(LogSpec initial) {
    return new LogbackLogLevels(initial);
  }

  /**
   * Maps a logger name of a spec to our logger names: Fabric's gossip modules to the packages doing
   * that work ({@code gossip.discovery} → {@code org.ledgergossip.membership}, {@code gossip.state}
   * → {@code org.ledgergossip.statetransfer}, {@code gossip.comm} → {@code
   * org.ledgergossip.core.internal.comm}, {@code gossip.pull} → {@code
   * org.ledgergossip.core.internal.pull}, {@code gossip.channel} → {@code
   * org.ledgergossip.core.internal.channel}), any other {@code gossip.x} to {@code
   * org.ledgergossip.x}, {@code gossip} to {@code org.ledgergossip}; other names are kept (a Java
   * logger name works as is). A trailing {@code .} (exact logger) is kept.
   */
  static String fabricModuleToLogger(String name) {
    boolean exact = name.endsWith(".");
    String base = exact ? name.substring(0, name.length() - 1) : name;
    String mapped = base;
    for (Map.Entry<String, String> row : FABRIC_MODULES.entrySet()) {
      if (base.equals(row.getKey()) || base.startsWith(row.getKey() + ".")) {
        mapped = row.getValue() + base.substring(row.getKey().length());
        break;
      }
    }
    return exact ? mapped + "." : mapped;
  }

  /** Fabric's gossip module names and the packages doing that work here, most specific first. */
  Map<String, String> FABRIC_MODULES = fabricModules();

  private static Map<String, String> fabricModules() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("gossip.discovery", "org.ledgergossip.membership");
    m.put("gossip.state", "org.ledgergossip.statetransfer");
    m.put("gossip.comm", "org.ledgergossip.core.internal.comm");
    m.put("gossip.pull", "org.ledgergossip.core.internal.pull");
    m.put("gossip.channel", "org.ledgergossip.core.internal.channel");
    m.put("gossip", "org.ledgergossip");
    return Collections.unmodifiableMap(m);
  }
}
