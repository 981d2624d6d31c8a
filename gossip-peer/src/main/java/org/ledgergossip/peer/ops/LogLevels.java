package org.ledgergossip.peer.ops;

/**
 * Where a {@link LogSpec} takes effect: the logging backend's levels. {@code PUT /logspec} parses
 * the spec and hands it to {@link #apply}; {@code GET /logspec} shows {@link #spec()}. The daemon
 * plugs in its backend (Logback, say); {@link #recording} only remembers the spec, {@link
 * #slf4jSimple} changes the levels of slf4j-simple's loggers.
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
   * Levels of slf4j-simple when it is the slf4j binding: each existing logger gets the level the
   * spec gives its name, and loggers created later too. Fabric's module names are mapped to our
   * logger names by {@link #fabricModuleToLogger} ({@code gossip.election} → {@code
   * org.ledgergossip.election}). When slf4j-simple is not the binding, or its internals are not as
   * expected, the spec is only remembered and a warning says so once.
   *
   * <p>slf4j-simple has no API for this: the levels are set through reflection on its fields, and a
   * new default level through its system properties. Meant until the daemon plugs in a backend with
   * a real API.
   */
  static LogLevels slf4jSimple(LogSpec initial) {
    return new Slf4jSimpleLogLevels(initial, LogLevels::fabricModuleToLogger);
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
    return Slf4jSimpleLogLevels.mapModule(name);
  }
}
