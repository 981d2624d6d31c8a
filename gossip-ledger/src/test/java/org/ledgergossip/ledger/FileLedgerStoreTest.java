package org.ledgergossip.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.tck.LedgerStoreContract.block;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.ledger.FileLedgerContractTest.LedgerFiles;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;

/** Rules of the {@code file} store beyond the contract: recovery, corruption, locking, segments. */
class FileLedgerStoreTest {

  @TempDir Path tmp;

  private LedgerOptions options(Map<String, String> properties) {
    return new LedgerOptions("ch", tmp.resolve("ledger"), properties);
  }

  private LedgerStore open(Map<String, String> properties) throws LedgerException {
    return new FileLedgerStoreProvider().open(options(properties));
  }

  private LedgerStore open() throws LedgerException {
    return open(Map.of());
  }

  private void fill(long count, Map<String, String> properties) throws LedgerException {
    try (LedgerStore store = open(properties)) {
      for (long n = 0; n < count; n++) {
        store.append(block(n));
      }
    }
  }

  private static List<Block> expected(long from, long to) {
    List<Block> out = new ArrayList<>();
    for (long n = from; n < to; n++) {
      out.add(block(n));
    }
    return out;
  }

  private Path dir() {
    return tmp.resolve("ledger");
  }

  private static void flipByte(Path file, long offset) throws Exception {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
      ch.write(b, offset);
    }
  }

  /** Offset of the record of block {@code n} in the (single) segment, from its index. */
  private long recordOffset(long n) throws Exception {
    Path idx = dir().resolve(Segment.dataFileName(0).replace(".seg", ".idx"));
    try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(8);
      ch.read(b, n * 8);
      return b.getLong(0);
    }
  }

  @Test
  void corruptBlockInTheMiddleIsRefusedOnOpenNamingFileAndOffset() throws Exception {
    fill(20, Map.of());
    long offset = recordOffset(7);
    Path seg = dir().resolve(Segment.dataFileName(0));
    flipByte(seg, offset + Segment.RECORD_HEADER + 10);
    assertThatThrownBy(this::open)
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining(seg.toString())
        .hasMessageContaining("byte offset " + offset)
        .hasMessageContaining("block 7 checksum mismatch");
  }

  @Test
  void corruptRecordHeaderInTheMiddleIsRefusedOnOpenNamingFileAndOffset() throws Exception {
    fill(20, Map.of());
    long offset = recordOffset(12);
    Path seg = dir().resolve(Segment.dataFileName(0));
    flipByte(seg, offset + 1);
    assertThatThrownBy(this::open)
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining(seg.toString())
        .hasMessageContaining("byte offset " + offset);
  }

  @Test
  void corruptBlockInASealedSegmentIsRefusedWhenReadNamingFileAndOffset() throws Exception {
    Map<String, String> small = Map.of(FileLedgerStoreProvider.SEGMENT_SIZE_PROPERTY, "8192");
    fill(60, small);
    Path first = dir().resolve(Segment.dataFileName(0));
    long offset = recordOffset(2);
    flipByte(first, offset + Segment.RECORD_HEADER + 3);
    try (LedgerStore store = open(small)) {
      assertThat(store.height()).isEqualTo(60);
      assertThat(store.get(1)).contains(block(1));
      assertThatThrownBy(() -> store.get(2))
          .isInstanceOf(LedgerException.class)
          .hasMessageContaining(first.toString())
          .hasMessageContaining("byte offset " + offset);
      assertThatThrownBy(() -> store.range(0, 10)).isInstanceOf(LedgerException.class);
    }
  }

  @Test
  void secondWriterOfTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
    LedgerStore first = open();
    assertThatThrownBy(this::open)
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("already open by another writer")
        .hasMessageContaining(dir().resolve("LOCK").toString())
        .hasMessageContaining(Long.toString(ProcessHandle.current().pid()));
    first.append(block(0));
    first.close();
    try (LedgerStore second = open()) {
      assertThat(second.height()).isEqualTo(1);
    }
  }

  @Test
  void tornTailRecoveryKeepsEveryCompleteBlock() throws Exception {
    for (double keep : new double[] {0.0, 0.3, 0.99}) {
      long before;
      try (LedgerStore store = open()) {
        before = store.height();
        for (long n = before; n < before + 10; n++) {
          store.append(block(n));
        }
      }
      LedgerFiles.cutLastRecord(dir(), keep);
      try (LedgerStore store = open()) {
        assertThat(store.height()).as("kept %s of the last payload", keep).isEqualTo(before + 9);
        assertThat(store.range(0, before + 9)).containsExactlyElementsOf(expected(0, before + 9));
        store.append(block(before + 9));
      }
    }
  }

  @Test
  void partialRecordHeaderAndTrailingZerosAreTornTails() throws Exception {
    fill(5, Map.of());
    Path seg = dir().resolve(Segment.dataFileName(0));
    long size = Files.size(seg);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 2, 3, 4, 5}), size);
    }
    try (LedgerStore store = open()) {
      assertThat(store.height()).isEqualTo(5);
    }
    assertThat(Files.size(seg)).isEqualTo(size);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4096), size);
    }
    try (LedgerStore store = open()) {
      assertThat(store.height()).isEqualTo(5);
      store.append(block(5));
    }
    try (LedgerStore store = open()) {
      assertThat(store.range(0, 10)).containsExactlyElementsOf(expected(0, 6));
    }
  }

  @Test
  void oneBlockOfATenThousandBlockLedgerIsReadWithoutLoadingTheRest() throws Exception {
    Map<String, String> fast = Map.of(FileLedgerStoreProvider.FSYNC_PROPERTY, "never");
    fill(10_000, fast);
    try (LedgerStore store = open(fast)) {
      assertThat(store.height()).isEqualTo(10_000);
      long heapBefore = usedHeap();
      Block b = store.get(9_876).orElseThrow();
      List<Block> few = store.range(5_000, 5_003);
      assertThat(b).isEqualTo(block(9_876));
      assertThat(few).containsExactlyElementsOf(expected(5_000, 5_003));
      // the ledger is ~16 MB; the reads must not have materialized it (a generous bound: 4 MB)
      assertThat(usedHeap() - heapBefore).isLessThan(4L * 1024 * 1024);
    }
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  @Test
  void segmentsRollAtTheConfiguredSizeAndAllReopen() throws Exception {
    Map<String, String> small = Map.of(FileLedgerStoreProvider.SEGMENT_SIZE_PROPERTY, "10000");
    fill(100, small);
    try (Stream<Path> files = Files.list(dir())) {
      assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).isGreaterThan(5);
    }
    try (LedgerStore store = open(small)) {
      assertThat(store.range(0, 100)).containsExactlyElementsOf(expected(0, 100));
      store.append(block(100));
    }
  }

  @Test
  void aDamagedIndexOfASealedSegmentIsRebuilt() throws Exception {
    Map<String, String> small = Map.of(FileLedgerStoreProvider.SEGMENT_SIZE_PROPERTY, "10000");
    fill(50, small);
    Path idx = dir().resolve(Segment.dataFileName(0).replace(".seg", ".idx"));
    try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.WRITE)) {
      ch.truncate(8);
    }
    try (LedgerStore store = open(small)) {
      assertThat(store.range(0, 50)).containsExactlyElementsOf(expected(0, 50));
    }
  }

  @Test
  void aMissingFirstSegmentIsRefused() throws Exception {
    Map<String, String> small = Map.of(FileLedgerStoreProvider.SEGMENT_SIZE_PROPERTY, "10000");
    fill(50, small);
    Files.delete(dir().resolve(Segment.dataFileName(0)));
    assertThatThrownBy(() -> open(small))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining(Segment.dataFileName(0) + " is missing");
  }

  @Test
  void invalidOptionsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> open(Map.of(FileLedgerStoreProvider.FSYNC_PROPERTY, "sometimes")))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("file.fsync=sometimes");
    assertThatThrownBy(() -> open(Map.of(FileLedgerStoreProvider.SEGMENT_SIZE_PROPERTY, "-1")))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("file.segmentSize=-1");
  }

  @Test
  void everyFsyncPolicyKeepsBlocksAcrossReopen() throws Exception {
    for (String policy : new String[] {"always", "batch", "never"}) {
      Map<String, String> p =
          Map.of(
              FileLedgerStoreProvider.FSYNC_PROPERTY,
              policy,
              FileLedgerStoreProvider.FSYNC_BATCH_PROPERTY,
              "3");
      long before;
      try (LedgerStore store = open(p)) {
        before = store.height();
        for (long n = before; n < before + 7; n++) {
          store.append(block(n));
        }
      }
      try (LedgerStore store = open(p)) {
        assertThat(store.range(0, before + 7)).containsExactlyElementsOf(expected(0, before + 7));
      }
    }
  }
}
