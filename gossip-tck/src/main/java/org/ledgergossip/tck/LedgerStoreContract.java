package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;

/**
 * The rules of the {@link LedgerStore} SPI. Extend it and open stores with the given options; every
 * test closes what it opened.
 *
 * <pre>{@code
 * class FileLedgerContractTest extends LedgerStoreContract {
 *   protected LedgerStore open(LedgerOptions options) throws Exception {
 *     return new FileLedgerStoreProvider().open(options);
 *   }
 *   protected boolean tearLastBlock(LedgerOptions options) throws Exception { ...; return true; }
 * }
 * }</pre>
 *
 * <p>Each test gets its own directory ({@link LedgerOptions#directory()}), so a store that keeps
 * ledgers in the JVM by directory sees a new ledger per test. The blocks are made by {@link
 * #block(long)}: deterministic, of varied shape (empty entries, no metadata, several KiB).
 * Concurrency rules bound every wait by {@link #timeout()}.
 */
public abstract class LedgerStoreContract {

  @TempDir private Path directory;

  private final List<LedgerStore> opened = new CopyOnWriteArrayList<>();

  /**
   * Opens the store of the ledger these options name (creating it when new).
   *
   * @throws Exception if it cannot be opened (the test then errors)
   */
  protected abstract LedgerStore open(LedgerOptions options) throws Exception;

  /**
   * Damages the closed ledger of {@code options} as a crash in the middle of writing its last block
   * would (a torn tail). Returns false when the store has no such failure (the torn-tail rule is
   * then skipped, never passed); the default.
   *
   * @throws Exception if the damage could not be done (the test then errors)
   */
  protected boolean tearLastBlock(LedgerOptions options) throws Exception {
    return false;
  }

  /** Provider properties for the options of these tests; none unless overridden. */
  protected Map<String, String> properties() {
    return Map.of();
  }

  /** Bound on every wait of the concurrency rules. */
  protected Duration timeout() {
    return Duration.ofSeconds(30);
  }

  /** The options of this test's ledger. */
  protected final LedgerOptions options() {
    return new LedgerOptions("contract-channel", directory.resolve("ledger"), properties());
  }

  /** Closes every store the test opened. */
  @AfterEach
  public void closeStores() throws Exception {
    for (LedgerStore s : opened) {
      s.close();
    }
    opened.clear();
  }

  /**
   * The contract's block {@code n}: a chain-like header, {@code n % 4} data entries of varied sizes
   * (one of them empty), and {@code n % 3} metadata entries.
   */
  public static Block block(long n) {
    Bytes previous = n == 0 ? Bytes.EMPTY : bytes("prev-" + (n - 1), 32);
    List<Bytes> data = new ArrayList<>();
    for (int i = 0; i < n % 4; i++) {
      data.add(i == 1 ? Bytes.EMPTY : bytes("tx-" + n + "-" + i, 100 + (int) (n * 37 % 3000)));
    }
    List<Bytes> metadata = new ArrayList<>();
    for (int i = 0; i < n % 3; i++) {
      metadata.add(bytes("meta-" + n + "-" + i, 16 + i));
    }
    return new Block(n, previous, bytes("data-" + n, 32), data, metadata);
  }

  private static Bytes bytes(String seed, int size) {
    byte[] s = seed.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (s[i % s.length] + i / s.length);
    }
    return Bytes.copyOf(out);
  }

  /** Opens the test's ledger and registers it for closing. */
  protected final LedgerStore openTracked() throws Exception {
    LedgerStore store = open(options());
    opened.add(store);
    return store;
  }

  /** Appends the contract's blocks {@code from} to {@code to - 1}. */
  protected static void appendBlocks(LedgerStore store, long from, long to) throws LedgerException {
    for (long n = from; n < to; n++) {
      store.append(block(n));
    }
  }

  /** Rule: a new ledger is empty: height 0, no block 0, an empty range. */
  @Test
  public void required_newLedgerIsEmpty() throws Exception {
    LedgerStore store = openTracked();
    assertThat(store.height()).isZero();
    assertThat(store.get(0)).isEmpty();
    assertThat(store.range(0, 10)).isEmpty();
  }

  /**
   * Rule: a block is appended only at the height; any other number is refused ({@link
   * IllegalArgumentException}) and leaves the height unchanged.
   */
  @Test
  public void required_appendOnlyAtHeight() throws Exception {
    LedgerStore store = openTracked();
    assertThatThrownBy(() -> store.append(block(1))).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.height()).isZero();
    store.append(block(0));
    assertThatThrownBy(() -> store.append(block(0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.append(block(2))).isInstanceOf(IllegalArgumentException.class);
    assertThat(store.height()).isEqualTo(1);
    store.append(block(1));
    assertThat(store.height()).isEqualTo(2);
    assertThat(store.get(2)).isEmpty();
  }

  /** Rule: {@code get(n)} returns the block appended as {@code n}, equal in every field. */
  @Test
  public void required_getReturnsTheAppendedBlock() throws Exception {
    LedgerStore store = openTracked();
    appendBlocks(store, 0, 25);
    for (long n = 0; n < 25; n++) {
      assertThat(store.get(n)).as("block %d", n).contains(block(n));
    }
    assertThat(store.get(25)).isEmpty();
    assertThat(store.get(Long.MAX_VALUE)).isEmpty();
    assertThatThrownBy(() -> store.get(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Rule: blocks of any shape round-trip: no entries, empty entries, a 1 MiB entry. */
  @Test
  public void required_blocksOfAnyShapeRoundTrip() throws Exception {
    LedgerStore store = openTracked();
    Block empty = new Block(0, Bytes.EMPTY, Bytes.EMPTY, List.of(), List.of());
    Block emptyEntries =
        new Block(
            1,
            bytes("p", 32),
            Bytes.EMPTY,
            List.of(Bytes.EMPTY, Bytes.EMPTY),
            List.of(Bytes.EMPTY));
    Block large =
        new Block(2, bytes("q", 32), bytes("d", 32), List.of(bytes("big", 1 << 20)), List.of());
    store.append(empty);
    store.append(emptyEntries);
    store.append(large);
    assertThat(store.range(0, 3)).containsExactly(empty, emptyEntries, large);
  }

  /** Rule: {@code range} is clipped at the height and checks its bounds. */
  @Test
  public void required_rangeIsClippedAtHeightAndBoundsChecked() throws Exception {
    LedgerStore store = openTracked();
    appendBlocks(store, 0, 20);
    assertThat(store.range(5, 10)).containsExactlyElementsOf(expected(5, 10));
    assertThat(store.range(0, 20)).containsExactlyElementsOf(expected(0, 20));
    assertThat(store.range(15, 100)).containsExactlyElementsOf(expected(15, 20));
    assertThat(store.range(20, 30)).isEmpty();
    assertThat(store.range(30, 40)).isEmpty();
    assertThat(store.range(7, 7)).isEmpty();
    assertThatThrownBy(() -> store.range(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.range(5, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Rule: closing and reopening keeps every block, and appending continues at the height. */
  @Test
  public void required_reopenKeepsEveryBlock() throws Exception {
    LedgerStore first = open(options());
    appendBlocks(first, 0, 30);
    first.close();
    LedgerStore second = openTracked();
    assertThat(second.height()).isEqualTo(30);
    assertThat(second.range(0, 30)).containsExactlyElementsOf(expected(0, 30));
    second.append(block(30));
    assertThatThrownBy(() -> second.append(block(30))).isInstanceOf(IllegalArgumentException.class);
    second.close();
    LedgerStore third = openTracked();
    assertThat(third.height()).isEqualTo(31);
    assertThat(third.get(30)).contains(block(30));
  }

  /**
   * Rule: after a crash tore the last block ({@link #tearLastBlock}), reopening drops that block
   * only, keeps the others intact, and accepts the block again.
   */
  @Test
  public void required_tornTailIsDroppedOnReopenAndTheRestKept() throws Exception {
    LedgerStore first = open(options());
    appendBlocks(first, 0, 12);
    first.close();
    assumeTrue(tearLastBlock(options()), "the store has no torn tail to recover");
    LedgerStore second = open(options());
    assertThat(second.height()).isEqualTo(11);
    assertThat(second.range(0, 12)).containsExactlyElementsOf(expected(0, 11));
    second.append(block(11));
    second.append(block(12));
    second.close();
    LedgerStore third = openTracked();
    assertThat(third.height()).isEqualTo(13);
    assertThat(third.range(0, 13)).containsExactlyElementsOf(expected(0, 13));
  }

  /**
   * Rule: readers concurrent with the appender see the old or the new height, and every block below
   * the height they saw is complete and correct (never partial, never missing).
   */
  @Test
  public void required_concurrentReadersSeeWholeBlocksBelowTheHeight() throws Exception {
    LedgerStore store = openTracked();
    int blocks = 400;
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Long>> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        int reader = r;
        readers.add(
            pool.submit(
                () -> {
                  long checks = 0;
                  long lastHeight = 0;
                  while (!done.get() || checks == 0) {
                    long h = store.height();
                    assertThat(h).as("height never goes back").isGreaterThanOrEqualTo(lastHeight);
                    lastHeight = h;
                    if (h > 0) {
                      assertThat(store.get(h - 1)).contains(block(h - 1));
                      long from = Math.max(0, h - 1 - reader * 3L);
                      assertThat(store.range(from, h)).containsExactlyElementsOf(expected(from, h));
                    }
                    Optional<Block> next = store.get(h);
                    next.ifPresent(b -> assertThat(b).isEqualTo(block(h)));
                    checks++;
                  }
                  return checks;
                }));
      }
      appendBlocks(store, 0, blocks);
      done.set(true);
      for (Future<Long> f : readers) {
        assertThat(f.get(timeout().toMillis(), TimeUnit.MILLISECONDS)).isPositive();
      }
      assertThat(store.height()).isEqualTo(blocks);
    } finally {
      done.set(true);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(timeout().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }
  }

  /** Rule: {@code close} is idempotent, and appending to a closed store is refused. */
  @Test
  public void required_closeIsIdempotentAndAppendAfterCloseIsRefused() throws Exception {
    LedgerStore store = open(options());
    appendBlocks(store, 0, 3);
    store.close();
    assertThatCode(store::close).doesNotThrowAnyException();
    assertThatThrownBy(() -> store.append(block(3))).isInstanceOf(LedgerException.class);
    LedgerStore again = openTracked();
    assertThat(again.height()).isEqualTo(3);
  }

  private static List<Block> expected(long from, long to) {
    List<Block> out = new ArrayList<>();
    for (long n = from; n < to; n++) {
      out.add(block(n));
    }
    return out;
  }
}
