package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogLevels} of slf4j-simple (see {@link LogLevels#slf4jSimple}). The levels of existing
 * loggers are set through reflection on {@code SimpleLogger.currentLogLevel}; loggers created later
 * get theirs from the system properties {@code org.slf4j.simpleLogger.log.<name>} (one per logger
 * field of the spec; a name ending with {@code .} cannot be expressed there and reaches existing
 * loggers only) and the default level from {@code SimpleLoggerConfiguration.defaultLogLevel}.
 *
 * <p>Thread-safe: {@link #apply} is serialised.
 */
final class Slf4jSimpleLogLevels implements LogLevels {

  private static final Logger log = LoggerFactory.getLogger(Slf4jSimpleLogLevels.class);

  private static final String FACTORY = "org.slf4j.simple.SimpleLoggerFactory";
  private static final String PROPERTY_PREFIX = "org.slf4j.simpleLogger.log.";

  private static final String[][] FABRIC_MODULES = {
    {"gossip.discovery", "org.ledgergossip.membership"},
    {"gossip.state", "org.ledgergossip.statetransfer"},
    {"gossip.comm", "org.ledgergossip.core.internal.comm"},
    {"gossip.pull", "org.ledgergossip.core.internal.pull"},
    {"gossip.channel", "org.ledgergossip.core.internal.channel"},
    {"gossip", "org.ledgergossip"},
  };

  private final UnaryOperator<String> loggerNames;

  @GuardedBy("this")
  private LogSpec spec;

  /** System properties this object set, to clear them when the next spec comes. */
  @GuardedBy("this")
  private final Set<String> propertiesSet = new HashSet<>();

  @GuardedBy("this")
  private boolean warned;

  Slf4jSimpleLogLevels(LogSpec initial, UnaryOperator<String> loggerNames) {
    this.loggerNames = requireNonNull(loggerNames, "loggerNames");
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
    this.spec = spec;
    Map<String, LogSpec.Level> mapped = new LinkedHashMap<>();
    spec.levels().forEach((name, level) -> mapped.put(loggerNames.apply(name), level));
    LogSpec effective = new LogSpec(spec.defaultLevel(), mapped);
    try {
      applyToSlf4jSimple(effective);
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (!warned) {
        warned = true;
        log.warn("Cannot change slf4j-simple's levels ({}): log spec {} is only recorded", e, spec);
      }
    }
  }

  @GuardedBy("this")
  private void applyToSlf4jSimple(LogSpec effective) throws ReflectiveOperationException {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!factory.getClass().getName().equals(FACTORY)) {
      throw new IllegalStateException("the slf4j binding is " + factory.getClass().getName());
    }
    ClassLoader loader = factory.getClass().getClassLoader();
    Class<?> loggerClass = Class.forName("org.slf4j.simple.SimpleLogger", true, loader);
    Field current = accessible(loggerClass.getDeclaredField("currentLogLevel"));
    Field configField = accessible(loggerClass.getDeclaredField("CONFIG_PARAMS"));
    Object config = configField.get(null);
    Field defaultLevel = accessible(config.getClass().getDeclaredField("defaultLogLevel"));
    Object map = accessible(factory.getClass().getDeclaredField("loggerMap")).get(factory);
    if (!(map instanceof Map<?, ?> loggers)) {
      throw new IllegalStateException("unexpected SimpleLoggerFactory.loggerMap " + map);
    }

    for (String property : propertiesSet) {
      System.clearProperty(property);
    }
    propertiesSet.clear();
    effective
        .levels()
        .forEach(
            (name, level) -> {
              if (!name.endsWith(".")) {
                String property = PROPERTY_PREFIX + name;
                System.setProperty(property, level.toSlf4j().name().toLowerCase(Locale.ROOT));
                propertiesSet.add(property);
              }
            });
    defaultLevel.setInt(config, effective.defaultLevel().toSlf4j().toInt());
    for (Map.Entry<?, ?> e : loggers.entrySet()) {
      if (e.getKey() instanceof String name && loggerClass.isInstance(e.getValue())) {
        current.setInt(e.getValue(), effective.levelFor(name).toSlf4j().toInt());
      }
    }
  }

  private static Field accessible(Field f) {
    f.setAccessible(true);
    return f;
  }

  /** See {@link LogLevels#fabricModuleToLogger}. */
  static String mapModule(String name) {
    boolean exact = name.endsWith(".");
    String base = exact ? name.substring(0, name.length() - 1) : name;
    String mapped = base;
    for (String[] row : FABRIC_MODULES) {
      if (base.equals(row[0]) || base.startsWith(row[0] + ".")) {
        mapped = row[1] + base.substring(row[0].length());
        break;
      }
    }
    return exact ? mapped + "." : mapped;
  }

  @Override
  public synchronized String toString() {
    return "Slf4jSimpleLogLevels[" + spec + "]";
  }
}
