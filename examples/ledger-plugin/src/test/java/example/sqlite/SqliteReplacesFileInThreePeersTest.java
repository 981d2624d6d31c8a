package example.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.tck.network.TckNetwork;
import org.ledgergossip.tck.network.TckNetwork.Peer;

/**
 * Three peers of one organisation with dynamic election, the ordering-service emulator and the
 * in-memory network in virtual time ({@link TckNetwork}), where the only change from a default node
 * is {@code node.ledger("sqlite", Map.of())}: the {@code sqlite} store replaces {@code file} with
 * no change to the core. Blocks flow, a peer killed and restarted continues from its own SQLite
 * ledger, and afterwards every ledger folder holds one SQLite database and no {@code file} segment.
 */
class SqliteReplacesFileInThreePeersTest {

  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void threePeersOnSqliteCommitEveryBlockAndARestartedPeerContinuesFromItsDatabase()
      throws Exception {
    List<Peer> peers = new ArrayList<>();
    long height;
    try (TckNetwork net =
        new TckNetwork(dir, 1, 3, config(), (node, peer) -> node.ledger("sqlite", Map.of()))) {
      for (int i = 0; i < 3; i++) {
        peers.add(net.start(1, i));
      }
      net.order(20);
      assertThat(net.runUntil(() -> allAt(peers, net.ordererHeight()), LIMIT)).isTrue();
      for (Peer p : peers) {
        assertThat(p.committed).as("blocks of " + p).isEqualTo(range(0, net.ordererHeight()));
      }

      Peer victim = peers.get(2);
      long before = victim.height();
      net.kill(victim);
      net.order(20);
      height = net.ordererHeight();
      Peer back = net.start(1, 2, 2);
      peers.set(2, back);
      assertThat(net.runUntil(() -> allAt(peers, height), LIMIT))
          .as("every peer, the restarted one too, reaches %d", height)
          .isTrue();
      assertThat(back.committed)
          .as("the restarted peer continues from the height its SQLite ledger kept")
          .isEqualTo(range(before, height));
    }

    List<List<Block>> chains = new ArrayList<>();
    for (Peer p : peers) {
      Path ledger = p.ledgerDirectory.resolve(TckNetwork.CHANNEL);
      try (Stream<Path> files = Files.list(ledger)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("the ledger folder of %s holds the SQLite database and no file-store segment", p)
            .contains(SqliteLedgerStore.DATABASE_FILE, DirectoryLock.LOCK_FILE)
            .noneMatch(name -> name.endsWith(".seg") || name.endsWith(".idx"));
      }
      try (LedgerStore store =
          new SqliteLedgerStoreProvider()
              .open(new LedgerOptions(TckNetwork.CHANNEL, ledger, Map.of()))) {
        assertThat(store.height()).isEqualTo(height);
        chains.add(store.range(0, height));
      }
    }
    assertThat(chains.get(1)).as("peer 1 holds the same blocks as peer 0").isEqualTo(chains.get(0));
    assertThat(chains.get(2)).as("peer 2 holds the same blocks as peer 0").isEqualTo(chains.get(0));
  }

  private static GossipConfig config() {
    return GossipConfig.builder()
        .useLeaderElection(true)
        .orgLeader(false)
        .aliveTimeInterval(Duration.ofSeconds(1))
        .aliveExpirationTimeout(Duration.ofSeconds(5))
        .reconnectInterval(Duration.ofSeconds(2))
        .pullInterval(Duration.ofSeconds(2))
        .publishStateInfoInterval(Duration.ofSeconds(1))
        .requestStateInfoInterval(Duration.ofSeconds(1))
        .stateCheckInterval(Duration.ofSeconds(1))
        .stateResponseTimeout(Duration.ofSeconds(1))
        .electionStartupGracePeriod(Duration.ofSeconds(3))
        .electionMembershipSampleInterval(Duration.ofMillis(500))
        .electionLeaderAliveThreshold(Duration.ofSeconds(2))
        .electionLeaderElectionDuration(Duration.ofSeconds(1))
        .build();
  }

  private static boolean allAt(List<Peer> peers, long height) {
    return peers.stream().allMatch(p -> p.height() >= height);
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
