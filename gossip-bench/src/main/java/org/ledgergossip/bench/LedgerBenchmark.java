package org.ledgergossip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append and read throughput of the {@code file} ledger store with 10 KiB blocks (one 10 KiB data
 * entry, 32-byte hashes, one signatures metadata entry), in blocks per second: multiply by 10 KiB
 * for bytes. {@code append} runs under {@code file.fsync=always} and {@code never}, on a fresh
 * ledger per iteration; {@code get} reads one random block and {@code range100} 100 contiguous
 * blocks from a ledger of {@value #READ_LEDGER_BLOCKS} blocks (~40 MiB, in the page cache after its
 * filling).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LedgerBenchmark {

  static final int BLOCK_SIZE = 10 * 1024;
  static final int READ_LEDGER_BLOCKS = 4_000;

  static Block block(long n, Bytes payload) {
    return new Block(
        n,
        Bytes.copyOf(new byte[32]),
        Bytes.copyOf(new byte[32]),
        List.of(payload),
        List.of(Bytes.copyOf(new byte[64])));
  }

  static Bytes payload() {
    byte[] b = new byte[BLOCK_SIZE];
    new Random(7).nextBytes(b);
    return Bytes.copyOf(b);
  }

  static LedgerStore open(Path dir, String fsync) throws LedgerException {
    return Providers.load(LedgerStoreProvider.class, "file")
        .open(new LedgerOptions("bench", dir, Map.of("file.fsync", fsync)));
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A fresh ledger per iteration, appended to by {@link #append}. */
  @State(Scope.Benchmark)
  public static class AppendState {
    /** The fsync policy of the store. */
    @Param({"always", "never"})
    public String fsync;

    Path dir;
    LedgerStore store;
    Bytes payload;

    /** Opens an empty ledger in a new temporary directory. */
    @Setup(Level.Iteration)
    public void setUp() throws Exception {
      payload = payload();
      dir = Files.createTempDirectory("ledger-bench-append");
      store = open(dir, fsync);
    }

    /** Closes and deletes the ledger. */
    @TearDown(Level.Iteration)
    public void tearDown() throws Exception {
      store.close();
      delete(dir);
    }
  }

  /** A filled ledger, read by {@link #get} and {@link #range100}. */
  @State(Scope.Benchmark)
  public static class ReadState {
    Path dir;
    LedgerStore store;
    long height;

    /** Fills a ledger of {@value #READ_LEDGER_BLOCKS} blocks. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      Bytes payload = payload();
      dir = Files.createTempDirectory("ledger-bench-read");
      try (LedgerStore filling = open(dir, "never")) {
        for (long n = 0; n < READ_LEDGER_BLOCKS; n++) {
          filling.append(block(n, payload));
        }
      }
      store = open(dir, "never");
      height = store.height();
    }

    /** Closes and deletes the ledger. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      store.close();
      delete(dir);
    }
  }

  /** Random source of one benchmark thread. */
  @State(Scope.Thread)
  public static class Rng {
    final Random random = new Random(42);
  }

  /** Appends one 10 KiB block. */
  @Benchmark
  public long append(AppendState s) throws LedgerException {
    long n = s.store.height();
    s.store.append(block(n, s.payload));
    return n;
  }

  /** Reads one random block. */
  @Benchmark
  public Block get(ReadState s, Rng rng) throws LedgerException {
    return s.store.get(rng.random.nextInt((int) s.height)).orElseThrow();
  }

  /** Reads 100 contiguous blocks from a random start (one op = 100 blocks). */
  @Benchmark
  public List<Block> range100(ReadState s, Rng rng) throws LedgerException {
    long from = rng.random.nextInt((int) s.height - 100);
    return s.store.range(from, from + 100);
  }
}
