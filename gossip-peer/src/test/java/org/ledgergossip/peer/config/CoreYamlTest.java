package org.ledgergossip.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.peer.config.ConfigFixture.MINIMAL_CORE;
import static org.ledgergossip.peer.config.ConfigFixture.msp;
import static org.ledgergossip.peer.config.ConfigFixture.tls;
import static org.ledgergossip.peer.config.ConfigFixture.write;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;

/** Reading core.yaml: defaults, Fabric's environment overrides, paths, writing it back. */
class CoreYamlTest {

  @TempDir Path dir;

  @BeforeEach
  void mspBesideTheFile() {
    msp(dir, "msp");
  }

  private PeerSettings load(String yaml, Map<String, String> env) {
    return CoreYaml.load(write(dir, "core.yaml", yaml), env).settings();
  }

  @Test
  void defaultsAreAppliedToEveryKeyNotSet() {
    LoadedConfig<PeerSettings> loaded =
        CoreYaml.load(write(dir, "core.yaml", MINIMAL_CORE), Map.of());
    PeerSettings s = loaded.settings();

    assertThat(loaded.file()).isEqualTo(dir.resolve("core.yaml"));
    assertThat(loaded.warnings()).isEmpty();
    assertThat(s.id()).isEqualTo("peer0.org1.example.com");
    assertThat(s.address()).isEqualTo(new Endpoint("127.0.0.1", 7051));
    assertThat(s.listenAddress()).isEqualTo(s.address());
    assertThat(s.localMspId()).isEqualTo("Org1MSP");
    assertThat(s.mspConfigPath()).isEqualTo(dir.resolve("msp"));
    assertThat(s.tls()).isEqualTo(TlsSettings.disabled());
    assertThat(s.fileSystemPath()).isEqualTo(Path.of("/var/hyperledger/production"));
    assertThat(s.channels()).isEmpty();
    assertThat(s.orderers()).isEqualTo(PeerSettings.Orderers.none());
    assertThat(s.plugins())
        .isEqualTo(new PeerSettings.Plugins("netty", "x509", "static", "file", "deliver"));
    assertThat(s.operations()).isEqualTo(PeerSettings.Operations.defaults());
    assertThat(s.operations().listenAddress()).isEqualTo(new Endpoint("127.0.0.1", 9443));
    assertThat(s.metricsProvider()).isEqualTo("prometheus");
    assertThat(s.gossip()).isEqualTo(GossipConfig.defaults());
  }

  @Test
  void electionPluginIsDynamicWhenUseLeaderElectionIsSet() {
    PeerSettings s =
        load(
            MINIMAL_CORE + "  gossip:\n    useLeaderElection: true\n    orgLeader: false\n",
            Map.of());
    assertThat(s.plugins().election()).isEqualTo("dynamic");
    assertThat(s.gossip().useLeaderElection()).isTrue();
  }

  @Test
  void everyKeyOfTheFileIsRead() {
    tls(dir);
    PeerSettings s =
        load(
            """
            peer:
              id: peer1
              address: peer1.example.com:7051
              listenAddress: 0.0.0.0:7051
              localMspId: Org1MSP
              mspConfigPath: msp
              fileSystemPath: data
              channels: [mychannel, other]
              orderers:
                endpoints: [127.0.0.1:7050, "127.0.0.1:8050"]
                caFile: tls/ca.crt
              tls:
                enabled: true
                clientAuthRequired: true
                cert: {file: tls/server.crt}
                key: {file: tls/server.key}
                rootcert: {file: tls/ca.crt}
                clientRootCAs: {files: [tls/ca.crt]}
              gossip:
                bootstrap: [127.0.0.1:7052, 127.0.0.1:7053]
                pullInterval: 2s
                requestWaitTime: 1500ms
                election:
                  leaderAliveThreshold: 11s
                  strategy: custom
                state: {enabled: false, batchSize: 7}
                transport: grpc
                msp: x509
              deliveryclient: {blockGossipEnabled: false}
              ledger: {store: memory}
              blockSource: emulator
            operations:
              listenAddress: 127.0.0.1:9444
              tls: {enabled: false}
            metrics: {provider: disabled}
            """,
            Map.of());
    assertThat(s.listenAddress()).isEqualTo(new Endpoint("0.0.0.0", 7051));
    assertThat(s.fileSystemPath()).isEqualTo(dir.resolve("data"));
    assertThat(s.channels()).containsExactly("mychannel", "other");
    assertThat(s.orderers().endpoints())
        .containsExactly(new Endpoint("127.0.0.1", 7050), new Endpoint("127.0.0.1", 8050));
    assertThat(s.orderers().caFile()).contains(dir.resolve("tls/ca.crt"));
    assertThat(s.tls())
        .isEqualTo(
            new TlsSettings(
                true,
                Optional.of(dir.resolve("tls/server.crt")),
                Optional.of(dir.resolve("tls/server.key")),
                List.of(dir.resolve("tls/ca.crt")),
                true,
                List.of(dir.resolve("tls/ca.crt"))));
    GossipConfig g = s.gossip();
    assertThat(g.bootstrap())
        .containsExactly(new Endpoint("127.0.0.1", 7052), new Endpoint("127.0.0.1", 7053));
    assertThat(g.pullInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(g.requestWaitTime()).isEqualTo(Duration.ofMillis(1500));
    assertThat(g.electionLeaderAliveThreshold()).isEqualTo(Duration.ofSeconds(11));
    assertThat(g.stateEnabled()).isFalse();
    assertThat(g.stateBatchSize()).isEqualTo(7);
    assertThat(g.blockGossipEnabled()).isFalse();
    assertThat(s.plugins())
        .isEqualTo(new PeerSettings.Plugins("grpc", "x509", "custom", "memory", "emulator"));
    assertThat(s.operations().listenAddress()).isEqualTo(new Endpoint("127.0.0.1", 9444));
    assertThat(s.metricsProvider()).isEqualTo("disabled");
  }

  @Test
  void environmentOverridesScalarKeysOfTheFile() {
    PeerSettings s =
        load(
            MINIMAL_CORE,
            Map.of(
                "CORE_PEER_ID", "peer9",
                "CORE_OPERATIONS_LISTENADDRESS", "0.0.0.0:9999",
                "CORE_PEER_GOSSIP_PULLINTERVAL", "2s",
                "CORE_PEER_GOSSIP_STATE_ENABLED", "false",
                "CORE_PEER_DELIVERYCLIENT_BLOCKGOSSIPENABLED", "false",
                "CORE_PEER_GOSSIP_ELECTION_LEADERALIVETHRESHOLD", "20s"));
    assertThat(s.id()).isEqualTo("peer9");
    assertThat(s.operations().listenAddress()).isEqualTo(new Endpoint("0.0.0.0", 9999));
    assertThat(s.gossip().pullInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.gossip().stateEnabled()).isFalse();
    assertThat(s.gossip().blockGossipEnabled()).isFalse();
    assertThat(s.gossip().electionLeaderAliveThreshold()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void environmentListsAreSplitOnSpacesAndCommas() {
    PeerSettings s =
        load(
            MINIMAL_CORE + "  gossip:\n    bootstrap: 127.0.0.1:7051\n",
            Map.of(
                "CORE_PEER_GOSSIP_BOOTSTRAP", "127.0.0.1:7051 127.0.0.1:7052,127.0.0.1:7053",
                "CORE_PEER_CHANNELS", "[ch1, ch2]",
                "CORE_PEER_ORDERERS_ENDPOINTS", "o1:7050 o2:7050"));
    assertThat(s.gossip().bootstrap())
        .containsExactly(
            new Endpoint("127.0.0.1", 7051),
            new Endpoint("127.0.0.1", 7052),
            new Endpoint("127.0.0.1", 7053));
    assertThat(s.channels()).containsExactly("ch1", "ch2");
    assertThat(s.orderers().endpoints())
        .containsExactly(new Endpoint("o1", 7050), new Endpoint("o2", 7050));
  }

  @Test
  void environmentSetsKeysAbsentFromTheFileAndAnEmptyVariableOverridesNothing() {
    PeerSettings s =
        load(
            MINIMAL_CORE,
            Map.of(
                "CORE_PEER_LISTENADDRESS", "0.0.0.0:8051",
                "CORE_PEER_LOCALMSPID", "",
                "CORE_PEER_GOSSIP_ELECTION", "dynamic"));
    assertThat(s.listenAddress()).isEqualTo(new Endpoint("0.0.0.0", 8051));
    assertThat(s.localMspId()).isEqualTo("Org1MSP");
    assertThat(s.plugins().election()).isEqualTo("dynamic");
  }

  @Test
  void keysMatchWithoutRegardToCaseAsInFabric() {
    PeerSettings s =
        load(
            MINIMAL_CORE + "  Gossip:\n    PullInterval: 3s\n  LISTENADDRESS: 0.0.0.0:1\n",
            Map.of());
    assertThat(s.gossip().pullInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.listenAddress()).isEqualTo(new Endpoint("0.0.0.0", 1));
  }

  @Test
  void fabricCfgPathNamesTheFolderOfCoreYamlWhenNoFileIsGiven() {
    write(dir, "core.yaml", MINIMAL_CORE);
    LoadedConfig<PeerSettings> loaded =
        CoreYaml.load(null, Map.of("FABRIC_CFG_PATH", dir.toString()));
    assertThat(loaded.file()).isEqualTo(dir.resolve("core.yaml"));
    assertThat(loaded.settings().id()).isEqualTo("peer0.org1.example.com");
  }

  @Test
  void relativePathsResolveAgainstTheFolderOfTheFileWhereverTheyComeFrom() {
    Path sub = dir.resolve("peers/peer0");
    msp(sub, "crypto/msp");
    tls(sub);
    write(
        sub,
        "core.yaml",
        """
        peer:
          id: peer0
          address: 127.0.0.1:7051
          localMspId: Org1MSP
          mspConfigPath: crypto/msp
          tls:
            enabled: true
            cert: {file: tls/server.crt}
            key: {file: ./tls/../tls/server.key}
        """);
    PeerSettings s =
        CoreYaml.load(sub.resolve("core.yaml"), Map.of("CORE_PEER_FILESYSTEMPATH", "data"))
            .settings();
    assertThat(s.mspConfigPath()).isEqualTo(sub.resolve("crypto/msp"));
    assertThat(s.tls().certificate()).contains(sub.resolve("tls/server.crt"));
    assertThat(s.tls().privateKey()).contains(sub.resolve("tls/server.key"));
    assertThat(s.fileSystemPath()).isEqualTo(sub.resolve("data"));
  }

  @Test
  void writtenFileLoadsBackIntoEqualSettings() throws IOException {
    Path peerDir = dir.resolve("peer");
    Path tls = tls(peerDir);
    Path shared = write(dir, "shared/ca.crt", "ca");
    PeerSettings original =
        PeerSettings.builder(
                "peer0.org1.example.com",
                new Endpoint("127.0.0.1", 7051),
                "Org1MSP",
                dir.resolve("msp"))
            .listenAddress(new Endpoint("0.0.0.0", 7051))
            .tls(
                new TlsSettings(
                    true,
                    Optional.of(tls.resolve("server.crt")),
                    Optional.of(tls.resolve("server.key")),
                    List.of(tls.resolve("ca.crt")),
                    true,
                    List.of(tls.resolve("ca.crt"), shared)))
            .fileSystemPath(peerDir.resolve("data"))
            .channels(List.of("mychannel", "c2"))
            .orderers(
                new PeerSettings.Orderers(
                    List.of(new Endpoint("127.0.0.1", 7050)), Optional.of(shared)))
            .transport("grpc")
            .ledgerStore("memory")
            .operations(
                new PeerSettings.Operations(
                    new Endpoint("127.0.0.1", 9443), TlsSettings.disabled()))
            .metricsProvider("disabled")
            .gossip(
                GossipConfig.builder()
                    .bootstrap(List.of(new Endpoint("127.0.0.1", 7052), new Endpoint("::1", 7053)))
                    .useLeaderElection(true)
                    .orgLeader(false)
                    .externalEndpoint(new Endpoint("peer0.example.com", 7051))
                    .pullInterval(Duration.ofMillis(2500))
                    .stateEnabled(false)
                    .build())
            .build();
    Path file = peerDir.resolve("core.yaml");

    CoreYaml.write(original, file);
    LoadedConfig<PeerSettings> loaded = CoreYaml.load(file, Map.of());

    assertThat(loaded.settings()).isEqualTo(original);
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.settings().plugins().election()).isEqualTo("dynamic");
  }

  @Test
  void aLoadedFileWrittenAndLoadedAgainIsUnchanged() throws IOException {
    PeerSettings first =
        load(
            MINIMAL_CORE + "  gossip:\n    bootstrap: ''\n    endpoint: 127.0.0.1:7051\n",
            Map.of());
    assertThat(first.gossip().bootstrap()).isEmpty();
    Path again = dir.resolve("again.yaml");
    CoreYaml.write(first, again);
    assertThat(CoreYaml.load(again, Map.of()).settings()).isEqualTo(first);
  }
}
