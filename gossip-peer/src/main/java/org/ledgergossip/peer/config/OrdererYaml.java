package org.ledgergossip.peer.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.InvalidConfigException;
import org.ledgergossip.api.InvalidConfigException.Problem;
import org.ledgergossip.peer.config.YamlFiles.FileValue;

/**
 * Reads and writes the ordering-service emulator's {@code orderer.yaml}: Fabric's {@code General.*}
 * and {@code FileLedger.Location} keys and this project's {@code Emulator.*} (see {@link
 * OrdererSettings} for each key and its default), with Fabric's overrides {@code ORDERER_<KEY
 * UPPER-CASED, . → _>} ({@code ORDERER_GENERAL_LISTENPORT=7050}; lists split on spaces or commas,
 * optionally in {@code [ ]}), keys matched without regard to case, relative paths resolved against
 * the file's folder. Problems and warnings as {@link CoreYaml}. Stateless and thread-safe.
 */
public final class OrdererYaml {

  /** The file name Fabric looks for in {@code FABRIC_CFG_PATH}. */
  public static final String FILE_NAME = "orderer.yaml";

  /** The prefix of the environment variables overriding keys. */
  public static final String ENV_PREFIX = "ORDERER_";

  private OrdererYaml() {}

  /**
   * Loads and validates an {@code orderer.yaml}.
   *
   * @param configFile the file ({@code --config}); when null, {@code
   *     $FABRIC_CFG_PATH/orderer.yaml}, else {@code ./orderer.yaml} or {@code
   *     /etc/hyperledger/fabric/orderer.yaml}, as Fabric
   * @param environment the process environment: {@code ORDERER_*} overrides and {@code
   *     FABRIC_CFG_PATH}
   * @return the settings, the file read and the warnings to log
   * @throws InvalidConfigException listing every problem, one line each naming the key, the value
   *     and why
   */
  public static LoadedConfig<OrdererSettings> load(
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
        new ConfigValues(
            ENV_PREFIX, values, environment, dir, FabricKeys.ORDERER_IGNORED, problems);
    OrdererSettings settings = read(v, dir);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new LoadedConfig<>(requireNonNull(settings), file, v.warnings());
  }

  private static @Nullable OrdererSettings read(ConfigValues v, Path dir) {
    Optional<String> host = v.text("General.ListenAddress");
    host.ifPresent(
        h -> {
          if (h.chars().anyMatch(Character::isWhitespace) || (h.contains(":") && !isIpv6(h))) {
            v.problem("General.ListenAddress", h, "expected a host name or address, without port");
          }
        });
    Optional<Integer> port = v.integer("General.ListenPort", 0);
    if (port.isPresent() && port.get() > 65535) {
      v.problem("General.ListenPort", port.get(), "must be at most 65535");
    }
    TlsSettings tls = TlsKeys.ORDERER.read(v);
    Path msp = v.path("General.LocalMSPDir").orElse(dir.resolve("msp"));
    v.checkSigningMsp("General.LocalMSPDir", msp);
    Optional<String> mspId = v.text("General.LocalMSPID");
    Optional<Path> ledger = v.path("FileLedger.Location");
    OrdererSettings.Emulator d = OrdererSettings.Emulator.defaults();
    List<String> channels = v.channels("Emulator.Channels").orElse(d.channels());
    var batchTimeout = v.positiveDuration("Emulator.BatchTimeout").orElse(d.batchTimeout());
    int batchSize = v.integer("Emulator.BatchSize", 1).orElse(d.batchSize());
    double rate = v.nonNegativeNumber("Emulator.Rate").orElse(d.rate());
    int blockSize = v.integer("Emulator.BlockSize", 0).orElse(d.blockSize());
    Map<String, Path> organizations = v.mspFolders("General.Organizations");
    if (v.hasProblems()) {
      return null;
    }
    OrdererSettings.Builder b =
        OrdererSettings.builder(msp)
            .tls(tls)
            .emulator(
                new OrdererSettings.Emulator(channels, batchTimeout, batchSize, rate, blockSize));
    host.ifPresent(b::listenAddress);
    port.ifPresent(b::listenPort);
    mspId.ifPresent(b::localMspId);
    ledger.ifPresent(b::fileLedgerLocation);
    b.organizations(organizations);
    return b.build();
  }

  /** An IPv6 address has two colons or more; {@code host:port} has one. */
  private static boolean isIpv6(String host) {
    return host.indexOf(':') != host.lastIndexOf(':');
  }

  /**
   * Writes {@code settings} as an {@code orderer.yaml} that {@link #load} reads back into equal
   * settings (when the settings' paths are absolute, as loaded ones are). Paths under the file's
   * folder are written relative to it.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(OrdererSettings settings, Path file) throws IOException {
    requireNonNull(settings, "settings");
    Path dir = requireNonNull(file.toAbsolutePath().normalize().getParent());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("General.ListenAddress", settings.listenAddress());
    out.put("General.ListenPort", settings.listenPort());
    TlsKeys.ORDERER.write(settings.tls(), out, p -> CoreYaml.relative(dir, p));
    out.put("General.LocalMSPDir", CoreYaml.relative(dir, settings.localMspDir()));
    out.put("General.LocalMSPID", settings.localMspId());
    out.put(
        "General.Organizations",
        YamlFiles.list(
            settings.organizations().entrySet().stream()
                .map(e -> e.getKey() + "=" + CoreYaml.relative(dir, e.getValue()))
                .toList()));
    out.put("FileLedger.Location", CoreYaml.relative(dir, settings.fileLedgerLocation()));
    OrdererSettings.Emulator e = settings.emulator();
    out.put("Emulator.Channels", YamlFiles.list(e.channels()));
    out.put("Emulator.BatchTimeout", GoDurations.format(e.batchTimeout()));
    out.put("Emulator.BatchSize", e.batchSize());
    out.put("Emulator.Rate", e.rate());
    out.put("Emulator.BlockSize", e.blockSize());
    YamlFiles.write(
        file,
        "# orderer.yaml of the ordering-service emulator, written by ledgergossip: Fabric's"
            + " General.* keys\n# (see OPERATIONS.md); any key can be overridden by ORDERER_<KEY>"
            + " (ORDERER_GENERAL_LISTENPORT).\n",
        out);
  }
}
