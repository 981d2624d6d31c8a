package org.ledgergossip.peer.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ledgergossip.api.Endpoint;

/**
 * Everything the ordering-service emulator ({@code gossip orderer start}) takes from {@code
 * orderer.yaml}: Fabric's {@code General.*} and {@code FileLedger.Location} keys, and this
 * project's {@code Emulator.*}. Read by {@link OrdererYaml#load}, written by {@link
 * OrdererYaml#write}; built by hand with {@link #builder}. Immutable; paths are absolute once
 * loaded.
 *
 * @param listenAddress {@code General.ListenAddress}: the host or address to listen on; default
 *     {@code 127.0.0.1}
 * @param listenPort {@code General.ListenPort}: 0..65535; default 7050
 * @param tls {@code General.TLS.*} ({@code Enabled}, {@code Certificate}, {@code PrivateKey},
 *     {@code RootCAs}, {@code ClientAuthRequired}, {@code ClientRootCAs})
 * @param localMspDir {@code General.LocalMSPDir}: the orderer's MSP folder (with a signing key);
 *     default {@code msp} beside {@code orderer.yaml}
 * @param localMspId {@code General.LocalMSPID}; default {@code SampleOrg}, as Fabric
 * @param fileLedgerLocation {@code FileLedger.Location}: the folder of the ledgers; default
 *     Fabric's {@code /var/hyperledger/production/orderer}
 * @param emulator {@code Emulator.*}
 * @param organizations {@code General.Organizations}: the MSP folder of every organisation whose
 *     identities may read and broadcast, by MSP ID, as a list {@code [Org1MSP=path, ...]} (Fabric
 *     takes them from the channel configuration); the orderer's own is always trusted
 */
public record OrdererSettings(
    String listenAddress,
    int listenPort,
    TlsSettings tls,
    Path localMspDir,
    String localMspId,
    Path fileLedgerLocation,
    Emulator emulator,
    Map<String, Path> organizations) {

  static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
  static final int DEFAULT_LISTEN_PORT = 7050;
  static final String DEFAULT_LOCAL_MSP_ID = "SampleOrg";
  static final Path DEFAULT_FILE_LEDGER_LOCATION = Path.of("/var/hyperledger/production/orderer");

  /**
   * Checks that nothing is null and the address and port make an endpoint.
   *
   * @throws IllegalArgumentException if the address is empty or has whitespace, or the port is out
   *     of range
   */
  public OrdererSettings {
    requireNonNull(listenAddress, "listenAddress");
    new Endpoint(listenAddress, listenPort); // validates both
    requireNonNull(tls, "tls");
    requireNonNull(localMspDir, "localMspDir");
    requireNonNull(localMspId, "localMspId");
    requireNonNull(fileLedgerLocation, "fileLedgerLocation");
    requireNonNull(emulator, "emulator");
    organizations = Collections.unmodifiableMap(new LinkedHashMap<>(organizations));
  }

  /** Every trusted organisation's MSP folder by MSP ID, the orderer's own included. */
  public Map<String, Path> trustedOrganizations() {
    Map<String, Path> out = new LinkedHashMap<>(organizations);
    out.putIfAbsent(localMspId, localMspDir);
    return Collections.unmodifiableMap(out);
  }

  /** A builder with every default but the MSP folder, which has none outside a file. */
  public static Builder builder(Path localMspDir) {
    return new Builder(localMspDir);
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    return new Builder(localMspDir)
        .listenAddress(listenAddress)
        .listenPort(listenPort)
        .tls(tls)
        .localMspId(localMspId)
        .fileLedgerLocation(fileLedgerLocation)
        .emulator(emulator)
        .organizations(organizations);
  }

  /** {@code General.ListenAddress:General.ListenPort}. */
  public Endpoint listenEndpoint() {
    return new Endpoint(listenAddress, listenPort);
  }

  /**
   * How the emulator cuts blocks.
   *
   * @param channels {@code Emulator.Channels}: the channels it serves; default none
   * @param batchTimeout {@code Emulator.BatchTimeout}: a partial batch is cut this long after its
   *     first envelope; positive; default 2s (Fabric's {@code BatchTimeout})
   * @param batchSize {@code Emulator.BatchSize}: envelopes per block at most (Fabric's {@code
   *     BatchSize.MaxMessageCount}); at least 1; default 10
   * @param rate {@code Emulator.Rate}: synthetic blocks a second on every channel, 0 for none;
   *     default 0
   * @param blockSize {@code Emulator.BlockSize}: bytes of data in each synthetic block; at least 0;
   *     default 1024
   */
  public record Emulator(
      List<String> channels, Duration batchTimeout, int batchSize, double rate, int blockSize) {

    private static final Emulator DEFAULTS =
        new Emulator(List.of(), Duration.ofSeconds(2), 10, 0, 1024);

    /**
     * Copies the list and checks the ranges.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public Emulator {
      channels = List.copyOf(channels);
      requireNonNull(batchTimeout, "batchTimeout");
      if (batchTimeout.isNegative()
          || batchTimeout.isZero()
          || batchSize < 1
          || !(rate >= 0)
          || Double.isInfinite(rate)
          || blockSize < 0) {
        throw new IllegalArgumentException(
            "need batchTimeout > 0, batchSize >= 1, finite rate >= 0, blockSize >= 0, were "
                + batchTimeout
                + ", "
                + batchSize
                + ", "
                + rate
                + ", "
                + blockSize);
      }
    }

    /** No channel, 2s, 10 envelopes, no synthetic blocks, 1024 bytes. */
    public static Emulator defaults() {
      return DEFAULTS;
    }
  }

  /** Builds {@link OrdererSettings}; not thread-safe. Every setter refuses null. */
  public static final class Builder {
    private final Path localMspDir;
    private String listenAddress = DEFAULT_LISTEN_ADDRESS;
    private int listenPort = DEFAULT_LISTEN_PORT;
    private TlsSettings tls = TlsSettings.disabled();
    private String localMspId = DEFAULT_LOCAL_MSP_ID;
    private Path fileLedgerLocation = DEFAULT_FILE_LEDGER_LOCATION;
    private Emulator emulator = Emulator.defaults();
    private Map<String, Path> organizations = Map.of();

    private Builder(Path localMspDir) {
      this.localMspDir = requireNonNull(localMspDir, "localMspDir");
    }

    /** {@code General.ListenAddress}; default {@code 127.0.0.1}. */
    public Builder listenAddress(String listenAddress) {
      this.listenAddress = requireNonNull(listenAddress, "listenAddress");
      return this;
    }

    /** {@code General.ListenPort}; default 7050. */
    public Builder listenPort(int listenPort) {
      this.listenPort = listenPort;
      return this;
    }

    /** {@code General.TLS.*}; default {@link TlsSettings#disabled()}. */
    public Builder tls(TlsSettings tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /** {@code General.LocalMSPID}; default {@code SampleOrg}. */
    public Builder localMspId(String localMspId) {
      this.localMspId = requireNonNull(localMspId, "localMspId");
      return this;
    }

    /** {@code FileLedger.Location}; default {@code /var/hyperledger/production/orderer}. */
    public Builder fileLedgerLocation(Path fileLedgerLocation) {
      this.fileLedgerLocation = requireNonNull(fileLedgerLocation, "fileLedgerLocation");
      return this;
    }

    /** {@code Emulator.*}; default {@link Emulator#defaults()}. */
    public Builder emulator(Emulator emulator) {
      this.emulator = requireNonNull(emulator, "emulator");
      return this;
    }

    /** {@code General.Organizations}; default none but the orderer's own. */
    public Builder organizations(Map<String, Path> organizations) {
      this.organizations = new LinkedHashMap<>(organizations);
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException if the listen address or port is invalid
     */
    public OrdererSettings build() {
      return new OrdererSettings(
          listenAddress,
          listenPort,
          tls,
          localMspDir,
          localMspId,
          fileLedgerLocation,
          emulator,
          organizations);
    }
  }
}
