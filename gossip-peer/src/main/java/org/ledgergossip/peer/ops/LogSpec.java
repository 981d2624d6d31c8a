package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A logging specification in Fabric's syntax ({@code FABRIC_LOGGING_SPEC}, {@code /logspec}):
 *
 * <pre>
 * [&lt;logger&gt;[,&lt;logger&gt;...]=]&lt;level&gt;[:[&lt;logger&gt;[,&lt;logger&gt;...]=]&lt;level&gt;...]
 * </pre>
 *
 * <p>For example {@code info}, or {@code gossip.election=debug:info}: fields separated by {@code
 * :}, each either a level (the default level; the last one wins, {@code info} when none) or loggers
 * with their level. A logger's level applies to the loggers below it ({@code gossip} covers {@code
 * gossip.election}); a name ending with {@code .} applies to that logger only. Levels, case as in
 * Fabric (lower or upper): {@code payload}, {@code debug}, {@code info}, {@code warn}/{@code
 * warning}, {@code error}, {@code dpanic}, {@code panic}, {@code fatal}, and Fabric's aliases
 * {@code notice} (info) and {@code critical} (error). The empty spec is {@code info}.
 *
 * <p>{@link #toString()} gives Fabric's normalised form: the logger fields sorted, then the default
 * level ({@code gossip.election=debug:info}). Immutable and thread-safe.
 *
 * @param defaultLevel the level of loggers no field names
 * @param levels the level of each named logger (a name may end with {@code .}), sorted by name
 */
public record LogSpec(Level defaultLevel, Map<String, Level> levels) {

  /** The spec of a fresh peer: {@code info}. */
  public static final LogSpec INFO = new LogSpec(Level.INFO, Map.of());

  /** Logger names as Fabric accepts them (RE2's ASCII {@code [[:alnum:]]}). */
  private static final Pattern LOGGER_NAME =
      Pattern.compile("[A-Za-z0-9_#:-]+(\\.[A-Za-z0-9_#:-]+)*");

  /** Fabric's (zap's) levels, from the most verbose. */
  public enum Level {
    /** Fabric's {@code payload}: below debug (slf4j's trace). */
    PAYLOAD,
    /** {@code debug}. */
    DEBUG,
    /** {@code info}. */
    INFO,
    /** {@code warn}. */
    WARN,
    /** {@code error}. */
    ERROR,
    /** zap's {@code dpanic} (slf4j's error). */
    DPANIC,
    /** zap's {@code panic} (slf4j's error). */
    PANIC,
    /** zap's {@code fatal} (slf4j's error). */
    FATAL;

    /** The closest slf4j level. */
    public org.slf4j.event.Level toSlf4j() {
      return switch (this) {
        case PAYLOAD -> org.slf4j.event.Level.TRACE;
        case DEBUG -> org.slf4j.event.Level.DEBUG;
        case INFO -> org.slf4j.event.Level.INFO;
        case WARN -> org.slf4j.event.Level.WARN;
        case ERROR, DPANIC, PANIC, FATAL -> org.slf4j.event.Level.ERROR;
      };
    }

    /** The name written in a spec, lower case. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code name} in Fabric's spelling, or null. */
    static @Nullable Level named(String name) {
      return switch (name) {
        case "PAYLOAD", "payload" -> PAYLOAD;
        case "DEBUG", "debug" -> DEBUG;
        case "INFO", "info", "NOTICE", "notice" -> INFO;
        case "WARNING", "WARN", "warning", "warn" -> WARN;
        case "ERROR", "error", "CRITICAL", "critical" -> ERROR;
        case "DPANIC", "dpanic" -> DPANIC;
        case "PANIC", "panic" -> PANIC;
        case "FATAL", "fatal" -> FATAL;
        default -> null;
      };
    }
  }

  /**
   * @throws NullPointerException if a component, name or level is null
   * @throws IllegalArgumentException if a logger name is not valid
   */
  public LogSpec {
    requireNonNull(defaultLevel, "defaultLevel");
    Map<String, Level> sorted = new TreeMap<>();
    for (Map.Entry<String, Level> e : levels.entrySet()) {
      String name = requireNonNull(e.getKey(), "logger name");
      if (!isValidLoggerName(name)) {
        throw new IllegalArgumentException("bad logger name '" + name + "'");
      }
      sorted.put(name, requireNonNull(e.getValue(), "level of " + name));
    }
    levels = Collections.unmodifiableMap(sorted);
  }

  /**
   * Parses a spec in Fabric's syntax (see the class documentation).
   *
   * @throws IllegalArgumentException with Fabric's message ({@code invalid logging specification
   *     'x': bad segment 'y'}) if {@code spec} is not valid
   */
  public static LogSpec parse(String spec) {
    requireNonNull(spec, "spec");
    Level defaultLevel = Level.INFO;
    Map<String, Level> levels = new TreeMap<>();
    for (String field : spec.split(":", -1)) {
      String[] split = field.split("=", -1);
      switch (split.length) {
        case 1 -> {
          if (field.isEmpty()) {
            defaultLevel = Level.INFO;
          } else {
            Level level = Level.named(field);
            if (level == null) {
              throw invalid(spec, "bad segment '" + field + "'");
            }
            defaultLevel = level;
          }
        }
        case 2 -> {
          if (split[0].isEmpty()) {
            throw invalid(spec, "no logger specified in segment '" + field + "'");
          }
          Level level = Level.named(split[1]);
          if (level == null) {
            throw invalid(spec, "bad segment '" + field + "'");
          }
          for (String logger : split[0].split(",", -1)) {
            if (!isValidLoggerName(logger)) {
              throw invalid(spec, "bad logger name '" + logger + "'");
            }
            levels.put(logger, level);
          }
        }
        default -> throw invalid(spec, "bad segment '" + field + "'");
      }
    }
    return new LogSpec(defaultLevel, levels);
  }

  /**
   * The level of logger {@code name} under this spec, found as Fabric does: the field naming {@code
   * name.} exactly, else the field of the longest dotted prefix of {@code name} (itself included),
   * else the default level.
   */
  public Level levelFor(String name) {
    requireNonNull(name, "name");
    String candidate = name + ".";
    while (true) {
      Level level = levels.get(candidate);
      if (level != null) {
        return level;
      }
      int idx = candidate.lastIndexOf('.');
      if (idx <= 0) {
        return defaultLevel;
      }
      candidate = candidate.substring(0, idx);
    }
  }

  /** The most verbose level this spec gives any logger. */
  public Level minLevel() {
    Level min = defaultLevel;
    for (Level l : levels.values()) {
      if (l.compareTo(min) < 0) {
        min = l;
      }
    }
    return min;
  }

  /** Fabric's normalised form: {@code a=debug:b.c=warn:info}. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(":");
    levels.forEach((name, level) -> j.add(name + "=" + level));
    j.add(defaultLevel.toString());
    return j.toString();
  }

  private static boolean isValidLoggerName(String logger) {
    String name = logger.endsWith(".") ? logger.substring(0, logger.length() - 1) : logger;
    return LOGGER_NAME.matcher(name).matches();
  }

  private static IllegalArgumentException invalid(String spec, String why) {
    return new IllegalArgumentException("invalid logging specification '" + spec + "': " + why);
  }
}
