package org.ledgergossip.peer.config;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;

/**
 * Everything a peer daemon takes from {@code core.yaml}: Fabric's keys ({@code peer.id}, {@code
 * peer.address}, {@code peer.tls.*}, {@code peer.gossip.*}, {@code operations.*}, {@code
 * metrics.provider}) and this project's additions ({@code peer.channels}, {@code peer.orderers},
 * plugin names). Read by {@link CoreYaml#load}, written by {@link CoreYaml#write}; built by hand
 * with {@link #builder}. Immutable; paths are absolute once loaded.
 *
 * @param id {@code peer.id}: the peer's name, for example {@code peer0.org1.example.com}
 * @param address {@code peer.address}: the endpoint other peers of the organisation dial
 * @param listenAddress {@code peer.listenAddress}: where the peer listens; default {@code address}
 * @param localMspId {@code peer.localMspId}: the MSP ID of the peer's organisation
 * @param mspConfigPath {@code peer.mspConfigPath}: the peer's MSP folder (with a signing key)
 * @param tls {@code peer.tls.*}; {@link TlsSettings#rootCAs()} holds at most one file ({@code
 *     peer.tls.rootcert.file}, which may hold several PEM certificates)
 * @param fileSystemPath {@code peer.fileSystemPath}: the folder of the ledgers; default Fabric's
 *     {@code /var/hyperledger/production}
 * @param channels {@code peer.channels}: the channels to join; default none
 * @param orderers {@code peer.orderers}: the ordering service; default none
 * @param plugins the providers to load by name
 * @param operations {@code operations.*}: the HTTP endpoints
 * @param metricsProvider {@code metrics.provider}: {@code prometheus} (default) or {@code disabled}
 * @param organizations {@code peer.organizations}: the MSP folder of every organisation whose
 *     identities this peer accepts (its own, the other peer organisations, the ordering service's),
 *     by MSP ID; Fabric takes them from the channel configuration. Written {@code [Org2MSP=path,
 *     ...]}. Default: the peer's own MSP only
 * @param anchorPeers {@code peer.anchorPeers}: anchor peers of other organisations by MSP ID,
 *     dialled at start and never purged (Fabric takes them from the channel configuration). Written
 *     {@code [Org2MSP=host:port, ...]}; default none
 * @param gossip every {@code peer.gossip.*} key, {@code peer.deliveryclient.blockGossipEnabled} and
 *     {@code peer.maxRecvMsgSize}
 */
public record PeerSettings(
    String id,
    Endpoint address,
    Endpoint listenAddress,
    String localMspId,
    Path mspConfigPath,
    TlsSettings tls,
    Path fileSystemPath,
    List<String> channels,
    Orderers orderers,
    Plugins plugins,
    Operations operations,
    String metricsProvider,
    GossipConfig gossip,
    Map<String, Path> organizations,
    Map<String, List<Endpoint>> anchorPeers) {

  /** Fabric's {@code peer.fileSystemPath} of its sample {@code core.yaml}. */
  static final Path DEFAULT_FILE_SYSTEM_PATH = Path.of("/var/hyperledger/production");

  /** Checks that nothing is null and {@code tls} names at most one root file; copies the list. */
  public PeerSettings {
    requireNonNull(id, "id");
    requireNonNull(address, "address");
    requireNonNull(listenAddress, "listenAddress");
    requireNonNull(localMspId, "localMspId");
    requireNonNull(mspConfigPath, "mspConfigPath");
    requireNonNull(tls, "tls");
    requireNonNull(fileSystemPath, "fileSystemPath");
    channels = List.copyOf(channels);
    requireNonNull(orderers, "orderers");
    requireNonNull(plugins, "plugins");
    requireNonNull(operations, "operations");
    requireNonNull(metricsProvider, "metricsProvider");
    requireNonNull(gossip, "gossip");
    organizations = Collections.unmodifiableMap(new LinkedHashMap<>(organizations));
    Map<String, List<Endpoint>> anchors = new LinkedHashMap<>();
    anchorPeers.forEach((org, list) -> anchors.put(org, List.copyOf(list)));
    anchorPeers = Collections.unmodifiableMap(anchors);
    if (tls.rootCAs().size() > 1) {
      throw new IllegalArgumentException(
          "peer.tls.rootcert.file names one file (a PEM bundle may hold several roots): "
              + tls.rootCAs());
    }
  }

  /** A builder with the four settings that have no default; every other one has its default. */
  public static Builder builder(
      String id, Endpoint address, String localMspId, Path mspConfigPath) {
    return new Builder(id, address, localMspId, mspConfigPath);
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(id, address, localMspId, mspConfigPath)
        .listenAddress(listenAddress)
        .tls(tls)
        .fileSystemPath(fileSystemPath)
        .channels(channels)
        .orderers(orderers)
        .plugins(plugins)
        .operations(operations)
        .metricsProvider(metricsProvider)
        .gossip(gossip)
        .organizations(organizations)
        .anchorPeers(anchorPeers);
  }

  /**
   * The MSP folder of every trusted organisation, by MSP ID, always including this peer's own
   * ({@link #mspConfigPath}) when {@link #organizations} does not name it.
   */
  public Map<String, Path> trustedOrganizations() {
    Map<String, Path> out = new LinkedHashMap<>(organizations);
    out.putIfAbsent(localMspId, mspConfigPath);
    return Collections.unmodifiableMap(out);
  }

  /**
   * {@code peer.orderers}: the ordering service's endpoints and the CA file of their TLS
   * certificates (Fabric takes both from the channel configuration). In {@code core.yaml}:
   *
   * <pre>{@code
   * peer:
   *   orderers:
   *     endpoints: [127.0.0.1:7050]   # or "127.0.0.1:7050 127.0.0.1:8050"
   *     caFile: ../crypto/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem
   * }</pre>
   *
   * @param endpoints {@code peer.orderers.endpoints}; may be empty
   * @param caFile {@code peer.orderers.caFile}; empty when not configured
   * @param mspId {@code peer.orderers.mspId}: the MSP ID whose signatures make a block valid;
   *     default {@code OrdererMSP}
   */
  public record Orderers(List<Endpoint> endpoints, Optional<Path> caFile, String mspId) {

    /** The default {@link #mspId}. */
    public static final String DEFAULT_MSP_ID = "OrdererMSP";

    private static final Orderers NONE = new Orderers(List.of(), Optional.empty());

    /** Copies the list; no argument may be null. */
    public Orderers {
      endpoints = List.copyOf(endpoints);
      requireNonNull(caFile, "caFile");
      requireNonNull(mspId, "mspId");
    }

    /** Orderers whose blocks are signed by {@value #DEFAULT_MSP_ID}. */
    public Orderers(List<Endpoint> endpoints, Optional<Path> caFile) {
      this(endpoints, caFile, DEFAULT_MSP_ID);
    }

    /** No ordering service: the default. */
    public static Orderers none() {
      return NONE;
    }
  }

  /**
   * The names of the providers to load (the daemon looks each up with {@code ServiceLoader} and
   * reports the ones it found when a name is unknown).
   *
   * @param transport {@code peer.gossip.transport}; default {@code netty}
   * @param msp {@code peer.gossip.msp}; default {@code x509}
   * @param election {@code peer.gossip.election.strategy} (or {@code peer.gossip.election} written
   *     as a single value); default {@code dynamic} if {@code peer.gossip.useLeaderElection}, else
   *     {@code static}
   * @param ledgerStore {@code peer.ledger.store}; default {@code file}
   * @param blockSource {@code peer.blockSource}; default {@code deliver}
   */
  public record Plugins(
      String transport, String msp, String election, String ledgerStore, String blockSource) {

    /** No argument may be null. */
    public Plugins {
      requireNonNull(transport, "transport");
      requireNonNull(msp, "msp");
      requireNonNull(election, "election");
      requireNonNull(ledgerStore, "ledgerStore");
      requireNonNull(blockSource, "blockSource");
    }

    /** The defaults, with the election strategy that {@code gossip}'s leader flags imply. */
    public static Plugins defaults(GossipConfig gossip) {
      return new Plugins(
          "netty", "x509", gossip.useLeaderElection() ? "dynamic" : "static", "file", "deliver");
    }
  }

  /**
   * The operations HTTP server ({@code /healthz}, {@code /metrics}, {@code /status}).
   *
   * @param listenAddress {@code operations.listenAddress}; default {@code 127.0.0.1:9443}
   * @param tls {@code operations.tls.*} ({@code enabled}, {@code cert.file}, {@code key.file},
   *     {@code clientAuthRequired}, {@code clientRootCAs.files}); no root CAs
   */
  public record Operations(Endpoint listenAddress, TlsSettings tls) {

    private static final Operations DEFAULTS =
        new Operations(new Endpoint("127.0.0.1", 9443), TlsSettings.disabled());

    /** No argument may be null; {@code tls} has no root CAs. */
    public Operations {
      requireNonNull(listenAddress, "listenAddress");
      requireNonNull(tls, "tls");
      if (!tls.rootCAs().isEmpty()) {
        throw new IllegalArgumentException("operations.tls has no root CAs: " + tls.rootCAs());
      }
    }

    /** Fabric's defaults: {@code 127.0.0.1:9443}, no TLS. */
    public static Operations defaults() {
      return DEFAULTS;
    }
  }

  /**
   * Builds {@link PeerSettings}; not thread-safe. Every setter refuses null; {@link #build()}
   * applies the defaults of the settings not given.
   */
  public static final class Builder {
    private final String id;
    private final Endpoint address;
    private final String localMspId;
    private final Path mspConfigPath;
    private @Nullable Endpoint listenAddress;
    private TlsSettings tls = TlsSettings.disabled();
    private Path fileSystemPath = DEFAULT_FILE_SYSTEM_PATH;
    private List<String> channels = List.of();
    private Orderers orderers = Orderers.none();
    private String transport = "netty";
    private String msp = "x509";
    private @Nullable String election;
    private String ledgerStore = "file";
    private String blockSource = "deliver";
    private Operations operations = Operations.defaults();
    private String metricsProvider = "prometheus";
    private GossipConfig gossip = GossipConfig.defaults();
    private Map<String, Path> organizations = Map.of();
    private Map<String, List<Endpoint>> anchorPeers = Map.of();

    private Builder(String id, Endpoint address, String localMspId, Path mspConfigPath) {
      this.id = requireNonNull(id, "id");
      this.address = requireNonNull(address, "address");
      this.localMspId = requireNonNull(localMspId, "localMspId");
      this.mspConfigPath = requireNonNull(mspConfigPath, "mspConfigPath");
    }

    /** {@code peer.listenAddress}; default the {@code address}. */
    public Builder listenAddress(Endpoint listenAddress) {
      this.listenAddress = requireNonNull(listenAddress, "listenAddress");
      return this;
    }

    /** {@code peer.tls.*}; default {@link TlsSettings#disabled()}. */
    public Builder tls(TlsSettings tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /** {@code peer.fileSystemPath}; default {@code /var/hyperledger/production}. */
    public Builder fileSystemPath(Path fileSystemPath) {
      this.fileSystemPath = requireNonNull(fileSystemPath, "fileSystemPath");
      return this;
    }

    /** {@code peer.channels}; default none. */
    public Builder channels(List<String> channels) {
      this.channels = List.copyOf(channels);
      return this;
    }

    /** {@code peer.orderers}; default {@link Orderers#none()}. */
    public Builder orderers(Orderers orderers) {
      this.orderers = requireNonNull(orderers, "orderers");
      return this;
    }

    /** Every plugin name at once. */
    public Builder plugins(Plugins plugins) {
      requireNonNull(plugins, "plugins");
      this.transport = plugins.transport();
      this.msp = plugins.msp();
      this.election = plugins.election();
      this.ledgerStore = plugins.ledgerStore();
      this.blockSource = plugins.blockSource();
      return this;
    }

    /** {@code peer.gossip.transport}; default {@code netty}. */
    public Builder transport(String name) {
      this.transport = requireNonNull(name, "name");
      return this;
    }

    /** {@code peer.gossip.msp}; default {@code x509}. */
    public Builder msp(String name) {
      this.msp = requireNonNull(name, "name");
      return this;
    }

    /**
     * {@code peer.gossip.election.strategy}; default {@code dynamic} if the gossip settings use
     * leader election, else {@code static}.
     */
    public Builder election(String name) {
      this.election = requireNonNull(name, "name");
      return this;
    }

    /** {@code peer.ledger.store}; default {@code file}. */
    public Builder ledgerStore(String name) {
      this.ledgerStore = requireNonNull(name, "name");
      return this;
    }

    /** {@code peer.blockSource}; default {@code deliver}. */
    public Builder blockSource(String name) {
      this.blockSource = requireNonNull(name, "name");
      return this;
    }

    /** {@code operations.*}; default {@link Operations#defaults()}. */
    public Builder operations(Operations operations) {
      this.operations = requireNonNull(operations, "operations");
      return this;
    }

    /** {@code metrics.provider}; default {@code prometheus}. */
    public Builder metricsProvider(String metricsProvider) {
      this.metricsProvider = requireNonNull(metricsProvider, "metricsProvider");
      return this;
    }

    /** The {@code peer.gossip.*} settings; default {@link GossipConfig#defaults()}. */
    public Builder gossip(GossipConfig gossip) {
      this.gossip = requireNonNull(gossip, "gossip");
      return this;
    }

    /** Sets {@link PeerSettings#anchorPeers}. */
    @CanIgnoreReturnValue
    public Builder anchorPeers(Map<String, List<Endpoint>> anchorPeers) {
      this.anchorPeers = new LinkedHashMap<>(anchorPeers);
      return this;
    }

    /** Sets {@link PeerSettings#organizations}. */
    @CanIgnoreReturnValue
    public Builder organizations(Map<String, Path> organizations) {
      this.organizations = new LinkedHashMap<>(organizations);
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException if {@code tls} names more than one root file
     */
    public PeerSettings build() {
      String e = election != null ? election : Plugins.defaults(gossip).election();
      Plugins p = new Plugins(transport, msp, e, ledgerStore, blockSource);
      return new PeerSettings(
          id,
          address,
          listenAddress != null ? listenAddress : address,
          localMspId,
          mspConfigPath,
          tls,
          fileSystemPath,
          channels,
          orderers,
          p,
          operations,
          metricsProvider,
          gossip,
          organizations,
          anchorPeers);
    }
  }
}
