package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * {@link LogLevels} of Logback (see {@link LogLevels#logback}): the root logger takes the spec's
 * default level, each logger it names (after {@link LogLevels#fabricModuleToLogger}) its level, and
 * loggers a previous spec named go back to inheriting. Logback has no "this logger only" level, so
 * a name ending with {@code .} sets the level of that logger and its children alike.
 *
 * <p>Thread-safe: {@link #apply} is serialised.
 */
final class LogbackLogLevels implements LogLevels {

  private static final org.slf4j.Logger log = LoggerFactory.getLogger(LogbackLogLevels.class);

  @GuardedBy("this")
  private LogSpec spec;

  @GuardedBy("this")
  private final Set<String> named = new HashSet<>();

  LogbackLogLevels(LogSpec initial) {
    this.spec = requireNonNull(initial, "initial");
    apply(initial);
  }

  @Override
  public synchronized LogSpec spec() {
    return spec;
  }

  @Override
  public synchronized void apply(LogSpec spec) {
    requireNonNull(spec, "spec");
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      this.spec = spec;
      log.warn("the log spec is remembered but not applied: slf4j's backend is not Logback");
      return;
    }
    for (String name : named) {
      context.getLogger(name).setLevel(null);
    }
    named.clear();
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level(spec.defaultLevel()));
    for (Map.Entry<String, LogSpec.Level> e : spec.levels().entrySet()) {
      String name = LogLevels.fabricModuleToLogger(e.getKey());
      if (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
      context.getLogger(name).setLevel(level(e.getValue()));
      named.add(name);
    }
    this.spec = spec;
  }

  private static Level level(LogSpec.Level level) {
    return switch (level.toSlf4j()) {
      case TRACE -> Level.TRACE;
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case ERROR -> Level.ERROR;
    };
  }

  @Override
  public synchronized String toString() {
    return "LogbackLogLevels[" + spec + "]";
  }
}
