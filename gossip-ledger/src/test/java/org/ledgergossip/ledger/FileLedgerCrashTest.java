package org.ledgergossip.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * Kill -9 of a process in the middle of appending: a child JVM ({@link CrashingAppender}) appends
 * and acknowledges blocks on stdout; it is killed forcibly ({@code SIGKILL}) after a number of
 * acknowledgements, and the reopened ledger must hold every acknowledged block, intact, with no
 * gap. Several rounds on the same ledger, under each fsync policy.
 */
class FileLedgerCrashTest {

  private static final long WAIT_SECONDS = 60;

  @TempDir Path tmp;

  @Test
  void killedWriterLosesNoAcknowledgedBlock() throws Exception {
    Path dir = tmp.resolve("ledger");
    long acked = -1;
    String[] policies = {"never", "always", "batch", "never"};
    for (int round = 0; round < policies.length; round++) {
      acked = Math.max(acked, runAndKill(dir, policies[round], 150 + round * 37L));
      LedgerOptions options = new LedgerOptions("crash", dir, Map.of());
      try (LedgerStore store = new FileLedgerStoreProvider().open(options)) {
        assertThat(store.height())
            .as("round %d (%s): height after kill", round, policies[round])
            .isGreaterThan(acked);
        List<Block> expected = new ArrayList<>();
        for (long n = 0; n < store.height(); n++) {
          expected.add(LedgerStoreContract.block(n));
        }
        assertThat(store.range(0, store.height())).containsExactlyElementsOf(expected);
      }
    }
  }

  /**
   * Starts the child, waits for {@code acks} acknowledgements, kills it; returns the last acked.
   */
  private long runAndKill(Path dir, String fsync, long acks) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingAppender.class.getName(),
                dir.toString(),
                fsync,
                "1000000")
            .redirectError(tmp.resolve("child-" + fsync + ".err").toFile());
    Process child = pb.start();
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
              } catch (java.io.IOException e) {
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
          // while the child holds the ledger, this process may not open it
          assertThatThrownBy(
                  () -> new FileLedgerStoreProvider().open(new LedgerOptions("x", dir, Map.of())))
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
