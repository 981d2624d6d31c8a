package org.ledgergossip.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.ledgergossip.peer.config.ConfigFixture.msp;
import static org.ledgergossip.peer.config.ConfigFixture.tls;
import static org.ledgergossip.peer.config.ConfigFixture.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.InvalidConfigException;
import org.ledgergossip.api.InvalidConfigException.Problem;

/** orderer.yaml: Fabric's General.* keys, ORDERER_* overrides, Emulator.*, problems, round trip. */
class OrdererYamlTest {

  @TempDir Path dir;

  private LoadedConfig<OrdererSettings> load(String yaml, Map<String, String> env) {
    return OrdererYaml.load(write(dir, "orderer.yaml", yaml), env);
  }

  private List<String> problems(String yaml, Map<String, String> env) {
    Path file = write(dir, "orderer.yaml", yaml);
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> OrdererYaml.load(file, env));
    assertThat(e).isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }

  @Test
  void fabricDefaultsApplyToAnEmptyFileWithAnMspBesideIt() {
    msp(dir, "msp");
    LoadedConfig<OrdererSettings> loaded = load("", Map.of());
    OrdererSettings s = loaded.settings();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(s.listenEndpoint()).isEqualTo(new Endpoint("127.0.0.1", 7050));
    assertThat(s.tls()).isEqualTo(TlsSettings.disabled());
    assertThat(s.localMspDir()).isEqualTo(dir.resolve("msp"));
    assertThat(s.localMspId()).isEqualTo("SampleOrg");
    assertThat(s.fileLedgerLocation()).isEqualTo(Path.of("/var/hyperledger/production/orderer"));
    assertThat(s.emulator()).isEqualTo(OrdererSettings.Emulator.defaults());
    assertThat(s.emulator().batchTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void everyKeyIsReadAndRelativePathsResolveAgainstTheFileFolder() {
    msp(dir, "crypto/msp");
    tls(dir);
    OrdererSettings s =
        load(
                """
            General:
              ListenAddress: 0.0.0.0
              ListenPort: 7150
              TLS:
                Enabled: true
                PrivateKey: tls/server.key
                Certificate: tls/server.crt
                RootCAs: [tls/ca.crt]
                ClientAuthRequired: true
                ClientRootCAs: [tls/ca.crt]
              LocalMSPDir: crypto/msp
              LocalMSPID: OrdererMSP
            FileLedger:
              Location: ledger
            Emulator:
              Channels: [mychannel, c2]
              BatchTimeout: 500ms
              BatchSize: 50
              Rate: 2.5
              BlockSize: 4096
            """,
                Map.of())
            .settings();
    assertThat(s.listenEndpoint()).isEqualTo(new Endpoint("0.0.0.0", 7150));
    assertThat(s.tls())
        .isEqualTo(
            new TlsSettings(
                true,
                Optional.of(dir.resolve("tls/server.crt")),
                Optional.of(dir.resolve("tls/server.key")),
                List.of(dir.resolve("tls/ca.crt")),
                true,
                List.of(dir.resolve("tls/ca.crt"))));
    assertThat(s.localMspDir()).isEqualTo(dir.resolve("crypto/msp"));
    assertThat(s.localMspId()).isEqualTo("OrdererMSP");
    assertThat(s.fileLedgerLocation()).isEqualTo(dir.resolve("ledger"));
    assertThat(s.emulator())
        .isEqualTo(
            new OrdererSettings.Emulator(
                List.of("mychannel", "c2"), Duration.ofMillis(500), 50, 2.5, 4096));
  }

  @Test
  void ordererVariablesOverrideTheFileAsInFabric() {
    msp(dir, "msp");
    OrdererSettings s =
        load(
                "General:\n  ListenPort: 7050\n",
                Map.of(
                    "ORDERER_GENERAL_LISTENPORT", "8050",
                    "ORDERER_GENERAL_LOCALMSPID", "OrdererMSP",
                    "ORDERER_FILELEDGER_LOCATION", "data",
                    "ORDERER_EMULATOR_CHANNELS", "[a, b]",
                    "ORDERER_EMULATOR_RATE", "10"))
            .settings();
    assertThat(s.listenPort()).isEqualTo(8050);
    assertThat(s.localMspId()).isEqualTo("OrdererMSP");
    assertThat(s.fileLedgerLocation()).isEqualTo(dir.resolve("data"));
    assertThat(s.emulator().channels()).containsExactly("a", "b");
    assertThat(s.emulator().rate()).isEqualTo(10.0);
  }

  @Test
  void fabricCfgPathNamesTheFolderOfOrdererYaml() {
    msp(dir, "msp");
    write(dir, "orderer.yaml", "General: {ListenPort: 7051}\n");
    LoadedConfig<OrdererSettings> loaded =
        OrdererYaml.load(null, Map.of("FABRIC_CFG_PATH", dir.toString()));
    assertThat(loaded.file()).isEqualTo(dir.resolve("orderer.yaml"));
    assertThat(loaded.settings().listenPort()).isEqualTo(7051);
  }

  @Test
  void missingFileIsAProblemNamingThePath() {
    Path missing = dir.resolve("orderer.yaml");
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class, () -> OrdererYaml.load(missing, Map.of()));
    assertThat(e.getMessage()).isEqualTo("--config = " + missing + ": no such file");
  }

  @Test
  void malformedYamlIsAProblemWithLineAndColumn() {
    assertThat(problems("General:\n  ListenPort: 7050\n ListenAddress: x\n", Map.of()))
        .singleElement()
        .asString()
        .startsWith(dir.resolve("orderer.yaml") + " = line 3, column 2: not valid YAML");
  }

  @Test
  void everyProblemIsReportedTogetherOneLineEach() {
    assertThat(
            problems(
                """
                General:
                  ListenAddress: 127.0.0.1:7050
                  ListenPort: seventy
                  TLS: {Enabled: true}
                  LocalMSPDir: nomsp
                Emulator:
                  Channels: [Upper]
                  BatchTimeout: -1s
                  BatchSize: 0
                  Rate: -1
                  BlockSize: -5
                """,
                Map.of("ORDERER_GENERAL_TLS_ENABLED", "true")))
        .containsExactly(
            "General.ListenAddress = 127.0.0.1:7050: expected a host name or address, without"
                + " port",
            "General.ListenPort = seventy: expected an integer",
            "General.TLS.Certificate = (not set): required: the server's TLS certificate, since"
                + " General.TLS.Enabled is true",
            "General.TLS.PrivateKey = (not set): required: the server's TLS private key, since"
                + " General.TLS.Enabled is true",
            "General.LocalMSPDir = " + dir.resolve("nomsp") + ": no such folder",
            "Emulator.Channels = Upper: not a channel name: lower-case letters, digits, '.' and"
                + " '-', starting with a letter, under 250 characters",
            "Emulator.BatchTimeout = -1s: must be positive",
            "Emulator.BatchSize = 0: must be at least 1",
            "Emulator.Rate = -1: must be a finite number, 0 or more",
            "Emulator.BlockSize = -5: must be at least 0");
  }

  @Test
  void aPortOutOfRangeFromTheEnvironmentNamesTheVariable() {
    msp(dir, "msp");
    assertThat(problems("", Map.of("ORDERER_GENERAL_LISTENPORT", "70000")))
        .containsExactly(
            "General.ListenPort = 70000: must be at most 65535 (set by ORDERER_GENERAL_LISTENPORT)");
  }

  @Test
  void anMspFolderWithoutSigningKeyIsAProblemNamingTheFolder() throws IOException {
    Path msp = msp(dir, "msp");
    write(dir, "msp/keystore/.hidden", "");
    Files.delete(msp.resolve("keystore/priv_sk"));
    assertThat(problems("General: {LocalMSPDir: msp}\n", Map.of()))
        .containsExactly(
            "General.LocalMSPDir = "
                + msp
                + ": no signing key: "
                + msp.resolve("keystore")
                + " is missing or empty");
  }

  @Test
  void unknownKeysAreWarnedWithASuggestionAndFabricKeysAreIgnored() {
    msp(dir, "msp");
    LoadedConfig<OrdererSettings> loaded =
        load(
            """
            General:
              ListenPrt: 7050
              Cluster: {SendBufferSize: 100}
              BCCSP: {Default: SW}
              Keepalive: {ServerMinInterval: 60s}
            Operations: {ListenAddress: 127.0.0.1:8443}
            Metrics: {Provider: disabled}
            Admin: {ListenAddress: 127.0.0.1:9443}
            ChannelParticipation: {Enabled: true}
            Emulator: {BatchTimeOut: 1s}
            """,
            Map.of("ORDERER_EMULATOR_RAT", "1", "ORDERER_GENERAL_CLUSTER_SENDBUFFERSIZE", "10"));
    assertThat(loaded.warnings())
        .containsExactly(
            "General.ListenPrt: unknown key, ignored; did you mean General.ListenPort?",
            "ORDERER_EMULATOR_RAT: unknown environment variable, ignored; did you mean"
                + " ORDERER_EMULATOR_RATE?");
    assertThat(loaded.settings().emulator().batchTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void writtenFileLoadsBackIntoEqualSettings() throws IOException {
    Path msp = msp(dir, "orderer/msp");
    Path tls = tls(dir.resolve("orderer"));
    Path peerCa = write(dir, "org1/tlsca.pem", "ca");
    OrdererSettings original =
        OrdererSettings.builder(msp)
            .listenAddress("::1")
            .listenPort(7150)
            .tls(
                new TlsSettings(
                    true,
                    Optional.of(tls.resolve("server.crt")),
                    Optional.of(tls.resolve("server.key")),
                    List.of(tls.resolve("ca.crt")),
                    true,
                    List.of(tls.resolve("ca.crt"), peerCa)))
            .localMspId("OrdererMSP")
            .fileLedgerLocation(dir.resolve("orderer/ledger"))
            .emulator(
                new OrdererSettings.Emulator(
                    List.of("mychannel"), Duration.ofMillis(250), 20, 0.5, 0))
            .build();
    Path file = dir.resolve("orderer/orderer.yaml");

    OrdererYaml.write(original, file);
    LoadedConfig<OrdererSettings> loaded = OrdererYaml.load(file, Map.of());

    assertThat(loaded.settings()).isEqualTo(original);
    assertThat(loaded.warnings()).isEmpty();
  }
}
