package org.ledgergossip.peer.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.InvalidConfigException.Problem;
import org.ledgergossip.peer.config.YamlFiles.FileValue;

/**
 * The values of one configuration file with Fabric's environment overrides on top, read key by key
 * with a type. A key is overridden by the variable {@code <prefix><KEY UPPER-CASED, . → _>} when
 * that variable is set and not empty, as with Fabric's viper. Relative paths resolve against the
 * file's folder.
 *
 * <p>A getter returns empty when the key is not set (the caller applies the default) or when its
 * value is wrong; then it records a {@link Problem} naming the key, the value and why (and the
 * variable, when the value came from one). Every key asked for becomes known; {@link #warnings()}
 * then names the keys and variables nobody asked for. Not thread-safe; one instance per load.
 */
final class ConfigValues {

  private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");
  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z][a-z0-9.-]{0,248}");

  private final String envPrefix;
  private final Map<String, FileValue> file;
  private final Map<String, String> env;
  private final Path baseDir;
  private final List<String> ignored;
  private final Set<String> known = new LinkedHashSet<>();
  private final List<Problem> problems;

  /** A raw value and the variable it came from (null when from the file). */
  private record Source(Object value, @Nullable String variable) {
    String text() {
      if (value instanceof List<?> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining(" "));
      }
      return String.valueOf(value).trim();
    }
  }

  /**
   * @param envPrefix {@code CORE_} or {@code ORDERER_}
   * @param file the file's values, keyed by the lower-cased dotted key
   * @param env the environment
   * @param baseDir the file's folder, against which relative paths resolve
   * @param ignored Fabric keys (or key prefixes) this project does not use: set, they are silently
   *     ignored rather than reported as unknown
   * @param problems where problems are added
   */
  ConfigValues(
      String envPrefix,
      Map<String, FileValue> file,
      Map<String, String> env,
      Path baseDir,
      List<String> ignored,
      List<Problem> problems) {
    this.envPrefix = envPrefix;
    this.file = file;
    this.env = env;
    this.baseDir = baseDir;
    this.ignored = ignored.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    this.problems = problems;
  }

  /** The environment variable overriding {@code key}. */
  String variable(String key) {
    return envPrefix + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private Optional<Source> source(String key) {
    known.add(key);
    String variable = variable(key);
    String fromEnv = env.get(variable);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Optional.of(new Source(fromEnv, variable));
    }
    FileValue v = file.get(key.toLowerCase(Locale.ROOT));
    return v == null || v.value() == null
        ? Optional.empty()
        : Optional.of(new Source(v.value(), null));
  }

  /**
   * The textual value of {@code key}, trimmed; empty when not set or empty. A list, or a mapping
   * where a value belongs, is a problem.
   */
  Optional<String> text(String key) {
    Optional<Source> s = source(key);
    if (s.isEmpty()) {
      String children = key.toLowerCase(Locale.ROOT) + ".";
      if (file.keySet().stream().anyMatch(k -> k.startsWith(children))) {
        problems.add(Problem.of(key, "(a mapping)", "expected a single value, found a mapping"));
      }
      return Optional.empty();
    }
    if (s.get().value() instanceof List<?>) {
      fail(key, s.get(), "expected a single value, found a list");
      return Optional.empty();
    }
    String text = s.get().text();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  /** The value of {@code key} as text even when it is a list (elements joined by spaces). */
  Optional<String> textOrList(String key) {
    return source(key).map(Source::text);
  }

  /** The raw value of {@code key}, without the check that it is not a mapping. */
  Optional<String> textAllowingChildren(String key) {
    return source(key).map(Source::text).filter(t -> !t.isEmpty());
  }

  /**
   * {@code key} read with {@code parse}; an {@link IllegalArgumentException} from it becomes a
   * problem whose reason is the exception's message.
   */
  <T> Optional<T> parsed(String key, Function<String, T> parse) {
    Optional<String> text = text(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse.apply(text.get()));
    } catch (IllegalArgumentException e) {
      problem(key, text.get(), reason(e));
      return Optional.empty();
    }
  }

  /** {@code true} or {@code false}, in any case (YAML's {@code yes}/{@code no} arrive as these). */
  Optional<Boolean> bool(String key) {
    return parsed(
        key,
        t -> {
          if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(t);
          }
          throw new IllegalArgumentException("expected true or false");
        });
  }

  /** A decimal integer of at least {@code min}. */
  Optional<Integer> integer(String key, int min) {
    return parsed(
        key,
        t -> {
          int i;
          try {
            i = Integer.parseInt(t);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer", e);
          }
          if (i < min) {
            throw new IllegalArgumentException("must be at least " + min);
          }
          return i;
        });
  }

  /** A decimal number of at least 0. */
  Optional<Double> nonNegativeNumber(String key) {
    return parsed(
        key,
        t -> {
          double d;
          try {
            d = Double.parseDouble(t);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number", e);
          }
          if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("must be a finite number, 0 or more");
          }
          return d;
        });
  }

  /** A positive duration as Fabric writes it ({@code 2s}, {@code 500ms}). */
  Optional<Duration> positiveDuration(String key) {
    return parsed(
        key,
        t -> {
          Duration d = GoDurations.parse(t);
          if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be positive");
          }
          return d;
        });
  }

  /** An endpoint {@code host:port}. */
  Optional<Endpoint> endpoint(String key) {
    return parsed(key, Endpoint::parse);
  }

  /** A path, resolved against the file's folder. */
  Optional<Path> path(String key) {
    return parsed(key, this::resolve);
  }

  /**
   * A list: a YAML sequence, or text whose items are separated by spaces or commas and optionally
   * wrapped in {@code [ ]}, as Fabric reads lists from the environment. Empty if not set.
   */
  Optional<List<String>> list(String key) {
    Optional<Source> s = source(key);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Object value = s.get().value();
    if (value instanceof List<?> l) {
      for (Object item : l) {
        if (item == null || item instanceof Map<?, ?> || item instanceof List<?>) {
          fail(key, s.get(), "expected a list of single values");
          return Optional.empty();
        }
      }
      return Optional.of(l.stream().map(o -> String.valueOf(o).trim()).toList());
    }
    String text = s.get().text();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    return Optional.of(
        Stream.of(LIST_SEPARATOR.split(text.trim())).filter(t -> !t.isEmpty()).toList());
  }

  /** A list of endpoints. */
  Optional<List<Endpoint>> endpoints(String key) {
    return parsedList(key, Endpoint::parse);
  }

  /** A list of paths, each resolved against the file's folder. */
  Optional<List<Path>> paths(String key) {
    return parsedList(key, this::resolve);
  }

  /** A list of channel names as Fabric allows them ({@code [a-z][a-z0-9.-]*}, under 250). */
  Optional<List<String>> channels(String key) {
    Optional<List<String>> names = list(key);
    if (names.isEmpty()) {
      return names;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String name : names.get()) {
      if (!CHANNEL_NAME.matcher(name).matches()) {
        problem(
            key,
            name,
            "not a channel name: lower-case letters, digits, '.' and '-', starting with a letter,"
                + " under 250 characters");
      } else if (!seen.add(name)) {
        problem(key, name, "channel listed twice");
      }
    }
    return Optional.of(List.copyOf(seen));
  }

  private <T> Optional<List<T>> parsedList(String key, Function<String, T> parse) {
    Optional<List<String>> items = list(key);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<T> out = new ArrayList<>();
    boolean ok = true;
    for (String item : items.get()) {
      try {
        out.add(parse.apply(item));
      } catch (IllegalArgumentException e) {
        problem(key, item, reason(e));
        ok = false;
      }
    }
    return ok ? Optional.of(List.copyOf(out)) : Optional.empty();
  }

  /**
   * MSP folders by MSP ID: a list of items {@code MSPID=folder}, each folder resolved against the
   * file's and holding a {@code cacerts} folder; in the order given. Empty if not set.
   */
  Map<String, Path> mspFolders(String key) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> item : keyedItems(key, "MSPID=path/to/msp")) {
      String text = item.getKey() + "=" + item.getValue();
      Path dir;
      try {
        dir = resolve(item.getValue());
      } catch (IllegalArgumentException e) {
        problem(key, text, reason(e));
        continue;
      }
      if (!Files.isDirectory(dir.resolve("cacerts"))) {
        problem(key, text, "no MSP folder with cacerts at " + dir);
      } else if (out.put(item.getKey(), dir) != null) {
        problem(key, text, "MSP ID " + item.getKey() + " listed twice");
      }
    }
    return out;
  }

  /**
   * The items {@code ID=value} of the list {@code key}, trimmed, in order; an item of another form
   * is a problem (saying {@code expected}) and left out. Empty if not set.
   */
  List<Map.Entry<String, String>> keyedItems(String key, String expected) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String item : list(key).orElse(List.of())) {
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        problem(key, item, "expected " + expected);
      } else {
        out.add(Map.entry(item.substring(0, eq).trim(), item.substring(eq + 1).trim()));
      }
    }
    return out;
  }

  private Path resolve(String text) {
    try {
      return baseDir.resolve(Path.of(text)).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a path: " + e.getReason(), e);
    }
  }

  /** Whether a problem has been recorded. */
  boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** Whether {@code key} has a non-empty value in the environment or the file. */
  boolean isSet(String key) {
    return source(key).map(Source::text).filter(t -> !t.isEmpty()).isPresent();
  }

  /** {@code p}, with the overriding variable named when its one key came from the environment. */
  Problem withOrigin(Problem p) {
    if (p.keys().size() != 1) {
      return p;
    }
    String variable = variable(p.keys().get(0));
    String fromEnv = env.get(variable);
    if (fromEnv == null || fromEnv.isEmpty()) {
      return p;
    }
    return new Problem(p.keys(), p.value(), p.reason() + " (set by " + variable + ")");
  }

  /** Records that {@code key} must be set; {@code what} says what it is. */
  void missing(String key, String what) {
    problems.add(Problem.of(key, "(not set)", "required: " + what));
  }

  /**
   * Records a problem with {@code key}, whose value is {@code value}; names the environment
   * variable when the key's value came from one.
   */
  void problem(String key, Object value, String reason) {
    String variable = variable(key);
    String fromEnv = env.get(variable);
    String suffix = fromEnv != null && !fromEnv.isEmpty() ? " (set by " + variable + ")" : "";
    problems.add(Problem.of(key, value, reason + suffix));
  }

  /** Records {@code p}, naming the overriding variable when its one key came from one. */
  void problem(Problem p) {
    problems.add(withOrigin(p));
  }

  private void fail(String key, Source s, String reason) {
    problems.add(
        Problem.of(
            key,
            s.text(),
            reason + (s.variable() == null ? "" : " (set by " + s.variable() + ")")));
  }

  /** Records a problem unless {@code file} is a regular file. */
  void checkFile(String key, Path path) {
    if (!Files.isRegularFile(path)) {
      problem(key, path, "no such file");
    }
  }

  /**
   * Records a problem unless {@code msp} is an MSP folder with a signing identity: a key in {@code
   * keystore} and a certificate in {@code signcerts}.
   */
  void checkSigningMsp(String key, Path msp) {
    if (!Files.isDirectory(msp)) {
      problem(key, msp, "no such folder");
      return;
    }
    if (!hasFiles(msp.resolve("keystore"))) {
      problem(key, msp, "no signing key: " + msp.resolve("keystore") + " is missing or empty");
    }
    if (!hasFiles(msp.resolve("signcerts"))) {
      problem(
          key, msp, "no signing certificate: " + msp.resolve("signcerts") + " is missing or empty");
    }
  }

  private static boolean hasFiles(Path folder) {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(
          f -> Files.isRegularFile(f) && !f.getFileName().toString().startsWith("."));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Keys of the file and variables of the environment (with this file's prefix) that no getter
   * asked for and that are not Fabric keys this project ignores, each with the nearest known key or
   * variable when one is close.
   */
  List<String> warnings() {
    List<String> out = new ArrayList<>();
    Set<String> knownLower =
        known.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    for (Map.Entry<String, FileValue> e : file.entrySet()) {
      String lower = e.getKey();
      if (knownLower.contains(lower) || isIgnored(lower, ".")) {
        continue;
      }
      if (e.getValue().value() == null && knownLower.stream().anyMatch(k -> k.startsWith(lower))) {
        continue; // an empty section, such as "tls:" with nothing under it
      }
      String key = e.getValue().key();
      out.add(
          key
              + ": unknown key, ignored"
              + EditDistance.nearest(key, known).map(k -> "; did you mean " + k + "?").orElse(""));
    }
    List<String> variables = known.stream().map(this::variable).toList();
    for (String name : env.keySet().stream().sorted().toList()) {
      if (!name.startsWith(envPrefix) || variables.contains(name) || isIgnoredVariable(name)) {
        continue;
      }
      out.add(
          name
              + ": unknown environment variable, ignored"
              + EditDistance.nearest(name, variables)
                  .map(k -> "; did you mean " + k + "?")
                  .orElse(""));
    }
    return out;
  }

  private boolean isIgnored(String lowerKey, String separator) {
    return ignored.stream().anyMatch(p -> lowerKey.equals(p) || lowerKey.startsWith(p + separator));
  }

  private boolean isIgnoredVariable(String name) {
    return ignored.stream()
        .map(this::variable)
        .anyMatch(v -> name.equals(v) || name.startsWith(v + "_"));
  }

  /** The message of {@code e}, the reason given in a problem. */
  static String reason(IllegalArgumentException e) {
    return String.valueOf(e.getMessage());
  }
}
