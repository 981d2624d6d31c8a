package example.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.peer.config.CoreYaml;
import org.ledgergossip.peer.config.PeerSettings;
import org.ledgergossip.peer.daemon.PeerDaemon;

/**
 * Operators select the store by name: {@code peer.ledger.store: sqlite} in {@code core.yaml} (or
 * {@code CORE_PEER_LEDGER_STORE=sqlite}), read by the daemon's own loader and started by the
 * daemon's own code ({@code gossip peer start} does the same two calls), with the plugin's jar on
 * the class path and nothing else changed.
 */
class CoreYamlSelectsSqliteTest {

  @TempDir Path dir;

  private String coreYaml(String extra) throws Exception {
    CryptoLayout crypto =
        Cryptogen.generate(
            dir.resolve("crypto"), Cryptogen.Spec.builder().orgs(1).peersPerOrg(1).build());
    return """
    peer:
      id: peer0.org1.example.com
      address: 127.0.0.1:7051
      listenAddress: 127.0.0.1:0
      localMspId: Org1MSP
      mspConfigPath: %s
      fileSystemPath: data
      channels: [mychannel]
    %s\
    """
        .formatted(crypto.peerDir(1, 0).resolve("msp"), extra);
  }

  @Test
  void peerLedgerStoreInCoreYamlStartsThePeerOnSqlite() throws Exception {
    Path config = dir.resolve("core.yaml");
    Files.writeString(config, coreYaml("  ledger:\n    store: sqlite\n"));

    PeerSettings settings = CoreYaml.load(config, Map.of()).settings();
    assertThat(settings.plugins().ledgerStore()).isEqualTo("sqlite");

    try (PeerDaemon peer = PeerDaemon.start(settings, new SimpleMeterRegistry())) {
      assertThat(peer.node().height("mychannel")).isZero();
      assertThat(dir.resolve("data").resolve("mychannel").resolve(SqliteLedgerStore.DATABASE_FILE))
          .as("the channel's ledger is a SQLite database")
          .isRegularFile();
    }
  }

  @Test
  void theEnvironmentOverrideSelectsSqliteWithoutEditingTheFile() throws Exception {
    Path config = dir.resolve("core.yaml");
    Files.writeString(config, coreYaml(""));

    assertThat(CoreYaml.load(config, Map.of()).settings().plugins().ledgerStore())
        .isEqualTo("file");
    assertThat(
            CoreYaml.load(config, Map.of("CORE_PEER_LEDGER_STORE", "sqlite"))
                .settings()
                .plugins()
                .ledgerStore())
        .isEqualTo("sqlite");
  }
}
