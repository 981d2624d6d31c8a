package org.ledgergossip.peer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.InvalidConfigException.Problem;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Finds, reads and writes the YAML files. Reading uses SnakeYAML's {@link SafeConstructor} (plain
 * maps, lists and scalars; no tags that create other types), refuses duplicate keys, and flattens
 * the tree into dotted keys ({@code peer.gossip.bootstrap}) as Fabric's viper sees them. Stateless.
 */
final class YamlFiles {

  /** Where Fabric looks for its files when {@code FABRIC_CFG_PATH} is not set, after the cwd. */
  static final Path OFFICIAL_PATH = Path.of("/etc/hyperledger/fabric");

  /** The environment variable naming the folder of {@code core.yaml} and {@code orderer.yaml}. */
  static final String FABRIC_CFG_PATH = "FABRIC_CFG_PATH";

  private static final Pattern DOT = Pattern.compile("\\.");

  /**
   * A value of the file.
   *
   * @param key the key as spelt in the file
   * @param value a String, Boolean, Number, List, or null for an empty value
   */
  record FileValue(String key, @Nullable Object value) {}

  private YamlFiles() {}

  /**
   * The file to read, as Fabric finds it: {@code given} if there is one (from {@code --config});
   * else {@code $FABRIC_CFG_PATH/<name>}; else {@code ./<name>} or {@code
   * /etc/hyperledger/fabric/<name>}, the first that exists. Adds a problem and returns empty if the
   * file does not exist.
   */
  static Optional<Path> locate(
      @Nullable Path given, Map<String, String> env, String name, List<Problem> problems) {
    if (given != null) {
      Path file = given.toAbsolutePath().normalize();
      if (Files.isRegularFile(file)) {
        return Optional.of(file);
      }
      problems.add(Problem.of("--config", file, "no such file"));
      return Optional.empty();
    }
    String cfgPath = env.getOrDefault(FABRIC_CFG_PATH, "");
    if (!cfgPath.isEmpty()) {
      Path file = Path.of(cfgPath).toAbsolutePath().normalize().resolve(name);
      if (Files.isRegularFile(file)) {
        return Optional.of(file);
      }
      problems.add(Problem.of(FABRIC_CFG_PATH, cfgPath, "the folder holds no " + name));
      return Optional.empty();
    }
    List<Path> candidates =
        List.of(Path.of(name).toAbsolutePath().normalize(), OFFICIAL_PATH.resolve(name));
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return Optional.of(c);
      }
    }
    problems.add(
        Problem.of(
            FABRIC_CFG_PATH,
            "(not set)",
            "no "
                + name
                + " in "
                + candidates.get(0).getParent()
                + " or "
                + OFFICIAL_PATH
                + ": give --config or set "
                + FABRIC_CFG_PATH
                + " to the folder holding "
                + name));
    return Optional.empty();
  }

  /**
   * The values of {@code file}, keyed by the dotted key in lower case (Fabric's keys are not case
   * sensitive). Adds a problem naming the file, line and column and returns empty if the file is
   * not YAML, or not a mapping at the top.
   */
  static Optional<Map<String, FileValue>> read(Path file, List<Problem> problems) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      problems.add(Problem.of(file.toString(), "", "cannot read the file: " + e));
      return Optional.empty();
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    Object tree;
    try {
      tree = new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where =
          mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      String why = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
      problems.add(Problem.of(file.toString(), where, "not valid YAML: " + why));
      return Optional.empty();
    } catch (YAMLException e) {
      problems.add(Problem.of(file.toString(), "", "not valid YAML: " + firstLine(e.getMessage())));
      return Optional.empty();
    }
    Map<String, FileValue> flat = new LinkedHashMap<>();
    if (tree == null) {
      return Optional.of(flat);
    }
    if (!(tree instanceof Map<?, ?> map)) {
      problems.add(
          Problem.of(file.toString(), "", "not a configuration: expected keys at the top level"));
      return Optional.empty();
    }
    flatten("", map, flat);
    return Optional.of(flat);
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, FileValue> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
        flatten(key + ".", child, out);
      } else {
        Object value = e.getValue() instanceof Map<?, ?> ? null : e.getValue();
        out.put(key.toLowerCase(java.util.Locale.ROOT), new FileValue(key, value));
      }
    }
  }

  /**
   * Writes {@code values} (dotted keys in the order given; values String, Boolean, Number or List
   * of those) as a YAML tree, after {@code header} (comment lines).
   */
  static void write(Path file, String header, Map<String, Object> values) throws IOException {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String[] parts = DOT.split(e.getKey(), -1);
      Map<String, Object> node = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        node = child(node, parts[i]);
      }
      node.put(parts[parts.length - 1], e.getValue());
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setWidth(200);
    Yaml yaml = new Yaml(new Representer(options), options);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, header + yaml.dump(tree), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked") // the tree holds only maps made here
  private static Map<String, Object> child(Map<String, Object> node, String name) {
    return (Map<String, Object>) node.computeIfAbsent(name, k -> new LinkedHashMap<>());
  }

  /** Copies {@code list} into a fresh list, for the dumper. */
  static List<Object> list(List<?> list) {
    return new ArrayList<>(list);
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
