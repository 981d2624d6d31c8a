package example.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.tck.LedgerStoreContract;

/**
 * What the kit's torn-tail rule asks, in SQLite's terms: a child JVM ({@link CrashingAppender})
 * appends and acknowledges blocks and is killed with {@code SIGKILL} in the middle of appending,
 * leaving its write-ahead log behind un-checkpointed. The reopened ledger must hold every
 * acknowledged block, intact, with no gap and no partial block. Several rounds on the same ledger,
 * under each {@code synchronous} level; while the child holds the ledger, this process is refused.
 */
class SqliteLedgerCrashTest {

  private static final long WAIT_SECONDS = 60;

  @TempDir Path tmp;

  @Test
  void aWriterKilledMidAppendLosesNoAcknowledgedBlockAndLeavesNoPartialOne() throws Exception {
    Path dir = tmp.resolve("ledger");
    long acked = -1;
    String[] levels = {"full", "normal", "extra"};
    for (int round = 0; round < levels.length; round++) {
      acked = Math.max(acked, runAndKill(dir, levels[round], 100 + round * 37L));
      assertThat(dir.resolve(SqliteLedgerStore.DATABASE_FILE + "-wal"))
          .as("the killed writer left its write-ahead log")
          .exists();
      LedgerOptions options = new LedgerOptions("crash", dir, Map.of());
      try (LedgerStore store = new SqliteLedgerStoreProvider().open(options)) {
        assertThat(store.height())
            .as("round %d (%s): height after kill", round, levels[round])
            .isGreaterThan(acked);
        List<Block> expected = new ArrayList<>();
        for (long n = 0; n < store.height(); n++) {
          expected.add(LedgerStoreContract.block(n));
        }
        assertThat(store.range(0, store.height())).containsExactlyElementsOf(expected);
      }
    }
    assertThat(Files.exists(dir.resolve(SqliteLedgerStore.DATABASE_FILE + "-wal")))
        .as("a clean close checkpoints and removes the write-ahead log")
        .isFalse();
  }

  /**
   * Starts the child, waits for {@code acks} acknowledgements, kills it; returns the last acked.
   */
  private long runAndKill(Path dir, String level, long acks) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingAppender.class.getName(),
                dir.toString(),
                level,
                "1000000")
            .redirectError(tmp.resolve("child-" + level + ".err").toFile())
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the child was killed
              } finally {
                lines.add("EOF");
              }
            },
            "crash-test-stdout");
    pump.setDaemon(true);
    pump.start();
    long last = -1;
    long seen = 0;
    try {
      while (seen < acks) {
        String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(line).as("child output (stderr in %s)", tmp).isNotNull().isNotEqualTo("EOF");
        if (line.startsWith("acked ")) {
          last = Long.parseLong(line.substring(6));
          seen++;
        } else if (line.startsWith("opened ")) {
          assertThatThrownBy(
                  () -> new SqliteLedgerStoreProvider().open(new LedgerOptions("x", dir, Map.of())))
              .isInstanceOf(LedgerException.class)
              .hasMessageContaining("already open by another writer")
              .hasMessageContaining("held by process " + child.pid());
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    // acknowledgements printed before the kill landed count too
    pump.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    for (String line = lines.poll(); line != null; line = lines.poll()) {
      if (line.startsWith("acked ")) {
        last = Long.parseLong(line.substring(6));
      }
    }
    assertThat(child.exitValue()).as("killed, not finished").isNotZero();
    return last;
  }
}
