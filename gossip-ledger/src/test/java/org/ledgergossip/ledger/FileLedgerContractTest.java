package org.ledgergossip.ledger;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.tck.LedgerStoreContract;

/** The {@code file} store passes the ledger contract, torn tail included. */
class FileLedgerContractTest extends LedgerStoreContract {

  @Override
  protected LedgerStore open(LedgerOptions options) throws Exception {
    return new FileLedgerStoreProvider().open(options);
  }

  /** Cuts the last data file in the middle of its last record. */
  @Override
  protected boolean tearLastBlock(LedgerOptions options) throws Exception {
    LedgerFiles.cutLastRecord(options.directory(), 0.5);
    return true;
  }

  /** Helpers that damage a closed ledger's files as a crash or a bad disk would. */
  static final class LedgerFiles {
    private LedgerFiles() {}

    /** The last data file of the ledger in {@code directory}. */
    static Path lastSegment(Path directory) throws Exception {
      try (var files = java.nio.file.Files.list(directory)) {
        return files
            .filter(p -> p.getFileName().toString().endsWith(".seg"))
            .sorted()
            .reduce((a, b) -> b)
            .orElseThrow();
      }
    }

    /** Start offset of the last record of the last segment (from its index). */
    static long lastRecordOffset(Path directory) throws Exception {
      Path seg = lastSegment(directory);
      Path idx = seg.resolveSibling(seg.getFileName().toString().replace(".seg", ".idx"));
      try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.READ)) {
        ByteBuffer buf = ByteBuffer.allocate(8);
        ch.read(buf, ch.size() - 8);
        return buf.getLong(0);
      }
    }

    /** Truncates the last record of the last segment, keeping {@code fraction} of its payload. */
    static void cutLastRecord(Path directory, double fraction) throws Exception {
      Path seg = lastSegment(directory);
      long offset = lastRecordOffset(directory);
      try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
        long payload = ch.size() - offset - Segment.RECORD_HEADER;
        ch.truncate(offset + Segment.RECORD_HEADER + (long) (payload * fraction));
      }
    }
  }
}
