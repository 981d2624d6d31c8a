package org.ledgergossip.peer.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.GossipKey;
import org.ledgergossip.api.InvalidConfigException;
import org.ledgergossip.api.InvalidConfigException.Problem;
import org.ledgergossip.peer.config.YamlFiles.FileValue;

/**
 * Reads and writes a peer's {@code core.yaml} as Fabric's peer does: the same structure and key
 * names (see {@link PeerSettings} for each key and its default), environment overrides {@code
 * CORE_<KEY UPPER-CASED, . → _>} ({@code CORE_PEER_GOSSIP_BOOTSTRAP="127.0.0.1:7051
 * 127.0.0.1:7052"}, lists split on spaces or commas), keys matched without regard to case, relative
 * paths resolved against the file's folder.
 *
 * <p>{@link #load} validates everything before returning and reports every problem at once: wrong
 * types, bad endpoints, missing required keys ({@code peer.id}, {@code peer.address}, {@code
 * peer.localMspId}, {@code peer.mspConfigPath}), an MSP folder without a signing key, TLS files
 * that do not exist when TLS is on, the rules of {@link GossipConfig} (positive durations, one
 * leader flag). Plugin names are not checked here: the daemon looks them up.
 *
 * <p>Stateless and thread-safe.
 */
public final class CoreYaml {

  /** The file name Fabric looks for in {@code FABRIC_CFG_PATH}. */
  public static final String FILE_NAME = "core.yaml";

  /** The prefix of the environment variables overriding keys. */
  public static final String ENV_PREFIX = "CORE_";

  private static final String ELECTION = "peer.gossip.election";
  private static final String ELECTION_STRATEGY = "peer.gossip.election.strategy";

  private CoreYaml() {}

  /**
   * Loads and validates a {@code core.yaml}.
   *
   * @param configFile the file ({@code --config}); when null, {@code $FABRIC_CFG_PATH/core.yaml},
   *     else {@code ./core.yaml} or {@code /etc/hyperledger/fabric/core.yaml}, as Fabric
   * @param environment the process environment ({@code System.getenv()} in the command): {@code
   *     CORE_*} overrides and {@code FABRIC_CFG_PATH}
   * @return the settings, the file read and the warnings to log
   * @throws InvalidConfigException listing every problem, one line each naming the key, the value
   *     and why (a missing file, malformed YAML with its line and column, ...)
   */
  public static LoadedConfig<PeerSettings> load(
      @Nullable Path configFile, Map<String, String> environment) {
    requireNonNull(environment, "environment");
    List<Problem> problems = new ArrayList<>();
    Path file = YamlFiles.locate(configFile, environment, FILE_NAME, problems).orElse(null);
    Map<String, FileValue> values =
        file == null ? null : YamlFiles.read(file, problems).orElse(null);
    if (file == null || values == null) {
      throw new InvalidConfigException(problems);
    }
    Path dir = requireNonNull(file.getParent(), "an absolute file has a parent");
    ConfigValues v =
        new ConfigValues(ENV_PREFIX, values, environment, dir, FabricKeys.CORE_IGNORED, problems);
    List<String> warnings = new ArrayList<>();
    PeerSettings settings = read(v, warnings);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    warnings.addAll(v.warnings());
    return new LoadedConfig<>(requireNonNull(settings), file, warnings);
  }

  private static @Nullable PeerSettings read(ConfigValues v, List<String> warnings) {
    Optional<String> id = required(v, v.text("peer.id"), "peer.id", "the peer's name");
    Optional<Endpoint> address = v.endpoint("peer.address");
    if (address.isEmpty() && !v.isSet("peer.address")) {
      v.missing("peer.address", "the host:port other peers dial");
    } else if (address.isPresent() && address.get().port() == 0) {
      v.problem("peer.address", address.get(), "needs a real port: other peers dial it");
    }
    Optional<Endpoint> listen = v.endpoint("peer.listenAddress");
    Optional<String> mspId =
        required(v, v.text("peer.localMspId"), "peer.localMspId", "the organisation's MSP ID");
    Optional<Path> msp = v.path("peer.mspConfigPath");
    if (msp.isPresent()) {
      v.checkSigningMsp("peer.mspConfigPath", msp.get());
    } else if (!v.isSet("peer.mspConfigPath")) {
      v.missing("peer.mspConfigPath", "the peer's MSP folder");
    }
    TlsSettings tls = TlsKeys.PEER.read(v);
    Optional<Path> fileSystemPath = v.path("peer.fileSystemPath");
    List<String> channels = v.channels("peer.channels").orElse(List.of());
    List<Endpoint> ordererEndpoints = v.endpoints("peer.orderers.endpoints").orElse(List.of());
    Optional<Path> ordererCa = v.path("peer.orderers.caFile");
    String ordererMspId =
        v.text("peer.orderers.mspId").orElse(PeerSettings.Orderers.DEFAULT_MSP_ID);
    Map<String, Path> organizations = v.mspFolders("peer.organizations");
    Map<String, List<Endpoint>> anchorPeers = anchorPeers(v);
    if (tls.enabled()) {
      ordererCa.ifPresent(p -> v.checkFile("peer.orderers.caFile", p));
    }
    GossipConfig gossip = gossip(v);
    warnings.addAll(gossip.warnings());
    Optional<String> election = election(v);
    Optional<String> transport = v.text("peer.gossip.transport");
    Optional<String> mspPlugin = v.text("peer.gossip.msp");
    Optional<String> ledgerStore = v.text("peer.ledger.store");
    Optional<String> blockSource = v.text("peer.blockSource");
    Optional<Endpoint> opsListen = v.endpoint("operations.listenAddress");
    TlsSettings opsTls = TlsKeys.OPERATIONS.read(v);
    Optional<String> metrics = v.text("metrics.provider");
    if (metrics.isPresent()
        && !metrics.get().equals("prometheus")
        && !metrics.get().equals("disabled")) {
      v.problem("metrics.provider", metrics.get(), "expected prometheus or disabled");
    }
    if (id.isEmpty() || address.isEmpty() || mspId.isEmpty() || msp.isEmpty()) {
      return null;
    }
    PeerSettings.Builder b =
        PeerSettings.builder(id.get(), address.get(), mspId.get(), msp.get())
            .tls(tls)
            .channels(channels)
            .orderers(new PeerSettings.Orderers(ordererEndpoints, ordererCa, ordererMspId))
            .organizations(organizations)
            .anchorPeers(anchorPeers)
            .operations(
                new PeerSettings.Operations(
                    opsListen.orElse(PeerSettings.Operations.defaults().listenAddress()), opsTls))
            .gossip(gossip);
    listen.ifPresent(b::listenAddress);
    fileSystemPath.ifPresent(b::fileSystemPath);
    election.ifPresent(b::election);
    transport.ifPresent(b::transport);
    mspPlugin.ifPresent(b::msp);
    ledgerStore.ifPresent(b::ledgerStore);
    blockSource.ifPresent(b::blockSource);
    metrics.ifPresent(b::metricsProvider);
    return b.build();
  }

  /** {@code peer.anchorPeers}: items {@code MSPID=host:port}, an organisation may repeat. */
  private static Map<String, List<Endpoint>> anchorPeers(ConfigValues v) {
    Map<String, List<Endpoint>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> item : v.keyedItems("peer.anchorPeers", "MSPID=host:port")) {
      try {
        Endpoint e = Endpoint.parse(item.getValue());
        out.computeIfAbsent(item.getKey(), k -> new ArrayList<>()).add(e);
      } catch (IllegalArgumentException e) {
        v.problem(
            "peer.anchorPeers",
            item.getKey() + "=" + item.getValue(),
            String.valueOf(e.getMessage()));
      }
    }
    return out;
  }

  private static Optional<String> required(
      ConfigValues v, Optional<String> value, String key, String what) {
    if (value.isEmpty()) {
      v.missing(key, what);
    }
    return value;
  }

  /**
   * The election plugin: {@code peer.gossip.election.strategy}, or {@code peer.gossip.election}
   * written as a single value (then the file cannot also hold {@code peer.gossip.election.*}
   * timings, but {@code CORE_PEER_GOSSIP_ELECTION} can override it).
   */
  private static Optional<String> election(ConfigValues v) {
    Optional<String> strategy = v.text(ELECTION_STRATEGY);
    Optional<String> single = v.textAllowingChildren(ELECTION);
    if (strategy.isPresent() && single.isPresent() && !strategy.equals(single)) {
      v.problem(
          ELECTION_STRATEGY,
          strategy.get(),
          "differs from " + ELECTION + " = " + single.get() + ": name the strategy once");
    }
    return strategy.or(() -> single);
  }

  /** Every {@link GossipKey}, read and validated by {@link GossipConfig.Builder#build()}. */
  private static GossipConfig gossip(ConfigValues v) {
    GossipConfig.Builder b = GossipConfig.builder();
    for (GossipKey key : GossipKey.values()) {
      Optional<String> text =
          key.type() == GossipKey.ValueType.ENDPOINT_LIST
              ? v.textOrList(key.key())
              : v.text(key.key());
      if (text.isEmpty()) {
        continue;
      }
      try {
        if (key.type() == GossipKey.ValueType.DURATION) {
          b.set(key, GoDurations.parse(text.get()));
        } else {
          b.parse(key, text.get());
        }
      } catch (IllegalArgumentException e) {
        String prefix = key.key() + " = '" + text.get() + "': ";
        String message = String.valueOf(e.getMessage());
        v.problem(
            key.key(),
            text.get(),
            message.startsWith(prefix) ? message.substring(prefix.length()) : message);
      }
    }
    try {
      return b.build();
    } catch (InvalidConfigException e) {
      for (Problem p : e.problems()) {
        v.problem(p);
      }
      return GossipConfig.defaults();
    }
  }

  /**
   * Writes {@code settings} as a {@code core.yaml} that {@link #load} reads back into equal
   * settings (when the settings' paths are absolute, as loaded ones are). Every key is written,
   * with its value or default; paths under the file's folder are written relative to it, so the
   * folder can be moved.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(PeerSettings settings, Path file) throws IOException {
    requireNonNull(settings, "settings");
    Path dir = requireNonNull(file.toAbsolutePath().normalize().getParent());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("peer.id", settings.id());
    out.put("peer.address", settings.address().toString());
    out.put("peer.listenAddress", settings.listenAddress().toString());
    out.put("peer.localMspId", settings.localMspId());
    out.put("peer.mspConfigPath", relative(dir, settings.mspConfigPath()));
    out.put("peer.fileSystemPath", relative(dir, settings.fileSystemPath()));
    out.put("peer.channels", YamlFiles.list(settings.channels()));
    out.put(
        "peer.orderers.endpoints",
        YamlFiles.list(settings.orderers().endpoints().stream().map(Endpoint::toString).toList()));
    settings.orderers().caFile().ifPresent(p -> out.put("peer.orderers.caFile", relative(dir, p)));
    out.put("peer.orderers.mspId", settings.orderers().mspId());
    out.put(
        "peer.anchorPeers",
        YamlFiles.list(
            settings.anchorPeers().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(ep -> e.getKey() + "=" + ep))
                .toList()));
    out.put(
        "peer.organizations",
        YamlFiles.list(
            settings.organizations().entrySet().stream()
                .map(e -> e.getKey() + "=" + relative(dir, e.getValue()))
                .toList()));
    TlsKeys.PEER.write(settings.tls(), out, p -> relative(dir, p));
    GossipConfig gossip = settings.gossip();
    for (GossipKey key : GossipKey.values()) {
      out.put(key.key(), yamlValue(gossip.get(key)));
    }
    out.put("peer.gossip.transport", settings.plugins().transport());
    out.put("peer.gossip.msp", settings.plugins().msp());
    out.put(ELECTION_STRATEGY, settings.plugins().election());
    out.put("peer.ledger.store", settings.plugins().ledgerStore());
    out.put("peer.blockSource", settings.plugins().blockSource());
    out.put("operations.listenAddress", settings.operations().listenAddress().toString());
    TlsKeys.OPERATIONS.write(settings.operations().tls(), out, p -> relative(dir, p));
    out.put("metrics.provider", settings.metricsProvider());
    YamlFiles.write(
        file,
        "# core.yaml of peer "
            + settings.id()
            + ", written by ledgergossip: Fabric's keys (see OPERATIONS.md);\n"
            + "# any key can be overridden by CORE_<KEY> (CORE_PEER_GOSSIP_BOOTSTRAP).\n",
        out);
  }

  private static Object yamlValue(Object value) {
    if (value instanceof Duration d) {
      return GoDurations.format(d);
    }
    if (value instanceof Optional<?> o) {
      return o.map(Object::toString).orElse("");
    }
    if (value instanceof List<?> l) {
      return l.stream().map(Object::toString).collect(Collectors.joining(" "));
    }
    return value;
  }

  /** {@code path} relative to {@code dir} when it is under it, else as is. */
  static String relative(Path dir, Path path) {
    Path p = path.normalize();
    return p.isAbsolute() && p.startsWith(dir) && !p.equals(dir)
        ? dir.relativize(p).toString()
        : p.toString();
  }
}
