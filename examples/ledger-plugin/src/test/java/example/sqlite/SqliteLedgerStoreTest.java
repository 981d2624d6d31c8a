package example.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.ledgergossip.tck.LedgerStoreContract;

/** What the {@code sqlite} store promises beyond the kit's contract. */
class SqliteLedgerStoreTest {

  @TempDir Path dir;

  private final LedgerStoreProvider provider = new SqliteLedgerStoreProvider();

  private LedgerOptions options(Map<String, String> properties) {
    return new LedgerOptions("mychannel", dir.resolve("mychannel"), properties);
  }

  private LedgerOptions options() {
    return options(Map.of());
  }

  @Test
  void theStoreIsFoundByNameAndOnlyByName() {
    assertThat(Providers.load(LedgerStoreProvider.class, "sqlite"))
        .isInstanceOf(SqliteLedgerStoreProvider.class);
    assertThat(provider.isAvailable()).as(provider.unavailableReason()).isTrue();
    assertThat(Providers.load(LedgerStoreProvider.class).name())
        .as("the file store keeps the default when no name is configured")
        .isEqualTo("file");
  }

  @Test
  void oneDatabaseFilePerLedgerDirectoryInWalModeWithFullSync() throws Exception {
    try (LedgerStore store = provider.open(options())) {
      store.append(LedgerStoreContract.block(0));
      Path file = dir.resolve("mychannel").resolve(SqliteLedgerStore.DATABASE_FILE);
      assertThat(file).isRegularFile();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        assertThat(text(s, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(text(s, "PRAGMA application_id"))
            .isEqualTo(Integer.toString(SqliteLedgerStore.APPLICATION_ID));
        assertThat(text(s, "PRAGMA user_version")).isEqualTo("1");
      }
      assertThat(synchronousOf(store)).as("PRAGMA synchronous of the writer (FULL)").isEqualTo(2);
    }
    assertThat(dir.resolve("mychannel"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("LOCK"));
  }

  @Test
  void synchronousIsAPropertyAndAWrongValueIsRefusedNamingIt() throws Exception {
    try (LedgerStore store = provider.open(options(Map.of("sqlite.synchronous", "normal")))) {
      assertThat(synchronousOf(store)).as("NORMAL").isEqualTo(1);
    }
    assertThatThrownBy(() -> provider.open(options(Map.of("sqlite.synchronous", "off"))))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("sqlite.synchronous=off")
        .hasMessageContaining("expected full, extra or normal");
  }

  @Test
  void aSecondStoreOfTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
    LedgerStore first = provider.open(options());
    try {
      assertThatThrownBy(() -> provider.open(options()))
          .isInstanceOf(LedgerException.class)
          .hasMessageContaining("ledger directory " + dir.resolve("mychannel"))
          .hasMessageContaining("is already open by another writer")
          .hasMessageContaining("LOCK");
    } finally {
      first.close();
    }
    try (LedgerStore second = provider.open(options())) {
      assertThat(second.height()).isZero();
    }
  }

  @Test
  void appendAwayFromTheHeightIsRefusedNamingBothNumbers() throws Exception {
    try (LedgerStore store = provider.open(options())) {
      store.append(LedgerStoreContract.block(0));
      assertThatThrownBy(() -> store.append(LedgerStoreContract.block(5)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot append block 5")
          .hasMessageContaining("at height 1")
          .hasMessageContaining("only block 1 may be appended next");
      assertThat(store.height()).isEqualTo(1);
    }
  }

  @Test
  void rowsHoldFabricsMarshalledBlock() throws Exception {
    Block block =
        new Block(
            0,
            Bytes.EMPTY,
            Bytes.fromHex("00112233"),
            java.util.List.of(Bytes.fromHex("cafe")),
            java.util.List.of(Bytes.EMPTY, Bytes.fromHex("01")));
    try (LedgerStore store = provider.open(options())) {
      store.append(block);
    }
    Path file = dir.resolve("mychannel").resolve(SqliteLedgerStore.DATABASE_FILE);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT number, block FROM blocks")) {
      assertThat(rs.next()).isTrue();
      org.hyperledger.fabric.protos.common.Block proto =
          org.hyperledger.fabric.protos.common.Block.parseFrom(rs.getBytes(2));
      assertThat(rs.getLong(1)).isZero();
      assertThat(proto.getHeader().getNumber()).isZero();
      assertThat(proto.getHeader().getDataHash().toByteArray())
          .isEqualTo(Bytes.fromHex("00112233").toByteArray());
      assertThat(proto.getData().getDataCount()).isEqualTo(1);
      assertThat(proto.getMetadata().getMetadataCount()).isEqualTo(2);
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void aSqliteFileOfAnotherApplicationIsRefusedNamingIt() throws Exception {
    Path ledger = dir.resolve("mychannel");
    Files.createDirectories(ledger);
    Path file = ledger.resolve(SqliteLedgerStore.DATABASE_FILE);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    }
    assertThatThrownBy(() -> provider.open(options()))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("is not a ledger of the sqlite store");
    // the refused open released the directory's lock
    Files.delete(file);
    try (LedgerStore store = provider.open(options())) {
      assertThat(store.height()).isZero();
    }
  }

  @Test
  void aFileThatIsNotSqliteIsRefusedNamingIt() throws Exception {
    Path ledger = dir.resolve("mychannel");
    Files.createDirectories(ledger);
    Path file = ledger.resolve(SqliteLedgerStore.DATABASE_FILE);
    Files.writeString(file, "x".repeat(4096));
    assertThatThrownBy(() -> provider.open(options()))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("cannot open ledger database " + file);
  }

  @Test
  void aMissingBlockBelowTheHeightIsReportedWithTheFileAndNumber() throws Exception {
    try (LedgerStore store = provider.open(options())) {
      for (long n = 0; n < 5; n++) {
        store.append(LedgerStoreContract.block(n));
      }
    }
    Path file = dir.resolve("mychannel").resolve(SqliteLedgerStore.DATABASE_FILE);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM blocks WHERE number = 2");
    }
    try (LedgerStore store = provider.open(options())) {
      assertThat(store.height()).isEqualTo(5);
      assertThatThrownBy(() -> store.get(2))
          .isInstanceOf(LedgerException.class)
          .hasMessageContaining("block 2 is missing from " + file);
      assertThatThrownBy(() -> store.range(0, 5))
          .isInstanceOf(LedgerException.class)
          .hasMessageContaining("block 2 is missing from " + file);
      assertThat(store.range(3, 5)).hasSize(2);
    }
  }

  /** {@code PRAGMA synchronous} of the store's writer connection: 1 NORMAL, 2 FULL, 3 EXTRA. */
  private static long synchronousOf(LedgerStore store) throws Exception {
    return ((SqliteLedgerStore) store).synchronousLevel();
  }

  private static String text(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
