package org.ledgergossip.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.ledgergossip.peer.config.ConfigFixture.MINIMAL_CORE;
import static org.ledgergossip.peer.config.ConfigFixture.msp;
import static org.ledgergossip.peer.config.ConfigFixture.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.InvalidConfigException;
import org.ledgergossip.api.InvalidConfigException.Problem;

/** core.yaml refused: every problem at once, one line each; and the warnings of a valid file. */
class CoreYamlProblemsTest {

  @TempDir Path dir;

  @BeforeEach
  void mspBesideTheFile() {
    msp(dir, "msp");
  }

  private InvalidConfigException refused(String yaml, Map<String, String> env) {
    Path file = write(dir, "core.yaml", yaml);
    return catchThrowableOfType(InvalidConfigException.class, () -> CoreYaml.load(file, env));
  }

  private static List<String> lines(InvalidConfigException e) {
    return e.problems().stream().map(Problem::toString).toList();
  }

  private List<String> warnings(String yaml, Map<String, String> env) {
    return CoreYaml.load(write(dir, "core.yaml", yaml), env).warnings();
  }

  @Test
  void missingFileIsAProblemNamingThePath() {
    Path missing = dir.resolve("nowhere/core.yaml");
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> CoreYaml.load(missing, Map.of()));
    assertThat(lines(e)).containsExactly("--config = " + missing + ": no such file");
  }

  @Test
  void fabricCfgPathWithoutCoreYamlIsAProblemNamingTheFolder() {
    InvalidConfigException e =
        catchThrowableOfType(
            InvalidConfigException.class,
            () -> CoreYaml.load(null, Map.of("FABRIC_CFG_PATH", dir.toString())));
    assertThat(lines(e))
        .containsExactly("FABRIC_CFG_PATH = " + dir + ": the folder holds no core.yaml");
  }

  @Test
  void malformedYamlIsAProblemWithLineAndColumn() {
    InvalidConfigException e = refused("peer:\n  id: a\n  address: [127.0.0.1:7051\n", Map.of());
    assertThat(e.problems()).hasSize(1);
    assertThat(e.getMessage())
        .startsWith(dir.resolve("core.yaml") + " = line 4, column 1: not valid YAML");
  }

  @Test
  void duplicateKeyIsAProblemWithItsLine() {
    InvalidConfigException e = refused(MINIMAL_CORE + "  id: again\n", Map.of());
    assertThat(e.getMessage()).contains("line 6", "duplicate key id");
  }

  @Test
  void yamlTagsThatWouldCreateJavaObjectsAreRefused() {
    InvalidConfigException e = refused(MINIMAL_CORE + "  x: !!java.io.File [\"/tmp\"]\n", Map.of());
    assertThat(e.getMessage()).contains("not valid YAML", "java.io.File");
  }

  @Test
  void aValueOfTheWrongTypeIsAProblemNamingKeyAndValue() {
    InvalidConfigException e =
        refused(
            MINIMAL_CORE
                + "  tls: {enabled: maybe}\n  gossip:\n    maxBlockCountToStore: many\n"
                + "    pullInterval: 4\n    endpoint: [a:1]\n",
            Map.of());
    assertThat(lines(e))
        .containsExactlyInAnyOrder(
            "peer.tls.enabled = maybe: expected true or false",
            "peer.gossip.maxBlockCountToStore = many: expected an integer",
            "peer.gossip.pullInterval = 4: expected a duration such as 4s, 500ms or 1m30s (a unit"
                + " is required)",
            "peer.gossip.endpoint = a:1: expected a single value, found a list");
  }

  @Test
  void aBadEndpointIsAProblem() {
    InvalidConfigException e =
        refused(MINIMAL_CORE.replace("127.0.0.1:7051", "localhost"), Map.of());
    assertThat(lines(e))
        .containsExactly(
            "peer.address = localhost: invalid endpoint 'localhost': expected host:port");
  }

  @Test
  void aNegativeDurationIsRefusedByTheGossipRules() {
    InvalidConfigException e =
        refused(MINIMAL_CORE + "  gossip:\n    pullInterval: -4s\n", Map.of());
    assertThat(lines(e)).hasSize(1);
    assertThat(lines(e).get(0)).startsWith("peer.gossip.pullInterval = -4s: must be positive");
  }

  @Test
  void bothLeaderFlagsTrueIsRefusedInTheWordsOfOperationsMd() {
    InvalidConfigException e =
        refused(
            MINIMAL_CORE + "  gossip:\n    useLeaderElection: true\n    orgLeader: true\n",
            Map.of());
    assertThat(e.getMessage())
        .isEqualTo(
            "peer.gossip.useLeaderElection and peer.gossip.orgLeader are both true: choose one");
  }

  @Test
  void bothLeaderFlagsFalseIsAWarningNamingBothKeys() {
    List<String> w =
        warnings(
            MINIMAL_CORE + "  gossip:\n    useLeaderElection: false\n    orgLeader: false\n",
            Map.of());
    assertThat(w).hasSize(1);
    assertThat(w.get(0)).contains("peer.gossip.useLeaderElection", "peer.gossip.orgLeader");
  }

  @Test
  void anUnknownKeyIsAWarningSuggestingTheNearestKnownKey() {
    List<String> w =
        warnings(MINIMAL_CORE + "  gossip:\n    bootstap: 127.0.0.1:7051\n  zzzz: 1\n", Map.of());
    assertThat(w)
        .containsExactly(
            "peer.gossip.bootstap: unknown key, ignored; did you mean peer.gossip.bootstrap?",
            "peer.zzzz: unknown key, ignored");
  }

  @Test
  void anUnknownVariableIsAWarningSuggestingTheNearestKnownOne() {
    List<String> w =
        warnings(
            MINIMAL_CORE,
            Map.of("CORE_PEER_GOSSIP_BOOTSTAP", "127.0.0.1:7051", "PATH", "/bin", "CORE_X", "1"));
    assertThat(w)
        .containsExactly(
            "CORE_PEER_GOSSIP_BOOTSTAP: unknown environment variable, ignored; did you mean"
                + " CORE_PEER_GOSSIP_BOOTSTRAP?",
            "CORE_X: unknown environment variable, ignored");
  }

  @Test
  void fabricKeysThisProjectDoesNotUseAreIgnoredSilently() {
    List<String> w =
        warnings(
            MINIMAL_CORE
                + """
                  networkId: dev
                  BCCSP: {Default: SW, SW: {Hash: SHA2}}
                  gossip:
                    pvtData: {pullRetryThreshold: 60s}
                    skipBlockVerification: false
                  tls:
                    clientKey: {file: }
                  deliveryclient: {policy: cluster, blockGossipEnabled: true}
                vm: {endpoint: unix:///var/run/docker.sock}
                chaincode: {mode: net}
                ledger: {state: {stateDatabase: goleveldb}}
                metrics: {provider: prometheus, statsd: {network: udp}}
                """,
            Map.of("CORE_VM_ENDPOINT", "x", "CORE_PEER_GOSSIP_PVTDATA_PUSHACKTIMEOUT", "3s"));
    assertThat(w).isEmpty();
  }

  @Test
  void anMspFolderWithoutSigningKeyIsAProblemNamingTheFolder() throws Exception {
    Path other = dir.resolve("other-msp");
    Files.createDirectories(other.resolve("signcerts"));
    Files.writeString(other.resolve("signcerts/cert.pem"), "x");
    InvalidConfigException e =
        refused(MINIMAL_CORE.replace("mspConfigPath: msp", "mspConfigPath: other-msp"), Map.of());
    assertThat(lines(e))
        .containsExactly(
            "peer.mspConfigPath = "
                + other
                + ": no signing key: "
                + other.resolve("keystore")
                + " is missing or empty");
  }

  @Test
  void eachMissingRequiredKeyIsAProblem() {
    InvalidConfigException e = refused("peer:\n  gossip:\n    pullInterval: 4s\n", Map.of());
    assertThat(lines(e))
        .containsExactly(
            "peer.id = (not set): required: the peer's name",
            "peer.address = (not set): required: the host:port other peers dial",
            "peer.localMspId = (not set): required: the organisation's MSP ID",
            "peer.mspConfigPath = (not set): required: the peer's MSP folder");
  }

  @Test
  void tlsOnNeedsACertificateAndAKeyThatExist() {
    InvalidConfigException e =
        refused(
            MINIMAL_CORE + "  tls:\n    enabled: true\n    cert: {file: tls/none.crt}\n", Map.of());
    assertThat(lines(e))
        .containsExactly(
            "peer.tls.cert.file = " + dir.resolve("tls/none.crt") + ": no such file",
            "peer.tls.key.file = (not set): required: the server's TLS private key, since"
                + " peer.tls.enabled is true");
  }

  @Test
  void aProblemFromTheEnvironmentNamesTheVariable() {
    InvalidConfigException e =
        refused(
            MINIMAL_CORE,
            Map.of(
                "CORE_PEER_GOSSIP_ORGLEADER", "yes please", "CORE_PEER_GOSSIP_PULLPEERNUM", "0"));
    assertThat(lines(e))
        .containsExactlyInAnyOrder(
            "peer.gossip.orgLeader = yes please: expected true or false (set by"
                + " CORE_PEER_GOSSIP_ORGLEADER)",
            "peer.gossip.pullPeerNum = 0: must be positive (Fabric reads 0 as \"use the default\";"
                + " leave the key out for that) (set by CORE_PEER_GOSSIP_PULLPEERNUM)");
  }

  @Test
  void severalProblemsAreReportedTogetherOneLineEach() {
    InvalidConfigException e =
        refused(
            """
            peer:
              address: nohost
              localMspId: Org1MSP
              mspConfigPath: msp
              channels: [MyChannel]
              gossip:
                useLeaderElection: true
                orgLeader: true
                aliveTimeInterval: soon
            metrics: {provider: statsd}
            """,
            Map.of("CORE_OPERATIONS_LISTENADDRESS", "9443"));
    assertThat(lines(e))
        .hasSize(7)
        .anyMatch(l -> l.startsWith("peer.id = (not set)"))
        .anyMatch(l -> l.startsWith("peer.address = nohost: invalid endpoint"))
        .anyMatch(l -> l.startsWith("peer.channels = MyChannel: not a channel name"))
        .anyMatch(l -> l.startsWith("peer.gossip.aliveTimeInterval = soon: expected a duration"))
        .anyMatch(l -> l.startsWith("operations.listenAddress = 9443: invalid endpoint"))
        .anyMatch(l -> l.startsWith("metrics.provider = statsd: expected prometheus or disabled"))
        .contains(
            "peer.gossip.useLeaderElection and peer.gossip.orgLeader are both true: choose one");
    assertThat(e.getMessage().lines()).hasSize(7);
  }

  @Test
  void theElectionStrategyNamedTwiceDifferentlyIsAProblem() {
    InvalidConfigException e =
        refused(
            MINIMAL_CORE + "  gossip:\n    election: {strategy: static}\n",
            Map.of("CORE_PEER_GOSSIP_ELECTION", "dynamic"));
    assertThat(lines(e))
        .containsExactly(
            "peer.gossip.election.strategy = static: differs from peer.gossip.election = dynamic:"
                + " name the strategy once");
  }

  @Test
  void aMappingWhereAValueIsExpectedIsAProblem() {
    InvalidConfigException e =
        refused(MINIMAL_CORE + "  listenAddress: {host: a, port: 1}\n", Map.of());
    assertThat(lines(e))
        .containsExactly(
            "peer.listenAddress = (a mapping): expected a single value, found a mapping");
  }
}
