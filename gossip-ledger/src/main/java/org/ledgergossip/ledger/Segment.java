package org.ledgergossip.ledger;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a {@code file} ledger: its data file of records and its index file of record
 * offsets (format in the package Javadoc). Reads are positional and may run on any thread, with one
 * appender ({@link FileLedgerStore}, under its lock) writing beyond what readers are allowed to
 * see.
 */
final class Segment implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Segment.class);

  /** Magic number at the start of every data file: {@code "LGLS"}. */
  static final int MAGIC = 0x4C474C53;

  /** Format version after the magic number. */
  static final int VERSION = 1;

  /** Bytes of the data file's header (magic, version). */
  static final int FILE_HEADER = 8;

  /** Bytes of a record's header (length, number, payload CRC, header CRC). */
  static final int RECORD_HEADER = 20;

  /** Bytes read at once by a range read (more when one record is larger). */
  static final int READ_CHUNK = 1 << 20;

  private static final String PREFIX = "blocks-";

  final long first;
  final Path dataPath;
  final Path indexPath;
  private final FileChannel data;
  private final FileChannel index;

  /** Number of records, written by the appender only. */
  private long count;

  /** End of the last complete record in the data file, written by the appender only. */
  private long size;

  private Segment(long first, Path dataPath, Path indexPath, FileChannel data, FileChannel index) {
    this.first = first;
    this.dataPath = dataPath;
    this.indexPath = indexPath;
    this.data = data;
    this.index = index;
  }

  /** Data file name of the segment whose first block is {@code first}. */
  static String dataFileName(long first) {
    return String.format(java.util.Locale.ROOT, "%s%020d.seg", PREFIX, first);
  }

  /** The first block number of a data file name, or -1 if it is not one. */
  static long parseDataFileName(String name) {
    if (!name.startsWith(PREFIX) || !name.endsWith(".seg") || name.length() != 31) {
      return -1;
    }
    String digits = name.substring(PREFIX.length(), PREFIX.length() + 20);
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(digits);
  }

  /** Creates the empty segment starting at {@code first} in {@code directory}. */
  static Segment create(Path directory, long first) throws IOException {
    Segment s = openFiles(directory, first);
    s.data.truncate(0);
    s.index.truncate(0);
    s.writeFileHeader();
    return s;
  }

  /**
   * Opens a sealed segment holding exactly blocks {@code first} to {@code end - 1}. Its index is
   * checked cheaply (length, last entry) and rebuilt from a strict scan if it does not match;
   * records are checksummed when read, not here.
   *
   * @throws LedgerException if the data file does not hold exactly those blocks intact
   */
  static Segment openSealed(Path directory, long first, long end) throws LedgerException {
    Segment s = openOrFail(directory, first);
    try {
      s.count = end - first;
      s.size = s.data.size();
      if (!s.indexMatches()) {
        log.warn(
            "ledger segment {}: index {} does not match, rebuilding it", s.dataPath, s.indexPath);
        long[] offsets = s.scan(false);
        if (offsets.length != s.count) {
          throw s.corrupt(
              s.size, "holds " + offsets.length + " blocks, expected " + s.count + " up to " + end);
        }
        s.rewriteIndex(offsets);
      }
      return s;
    } catch (IOException e) {
      s.closeQuietly();
      throw new LedgerException("cannot read ledger segment " + s.dataPath + ": " + e, e);
    } catch (LedgerException | RuntimeException e) {
      s.closeQuietly();
      throw e;
    }
  }

  /**
   * Opens the last segment, scanning every record: a torn tail (a partial or unchecksummed last
   * record, or zeros) is truncated; anything else wrong is refused. The index is rewritten.
   *
   * @throws LedgerException naming the file and offset of a corrupt record
   */
  static Segment openLast(Path directory, long first) throws LedgerException {
    Segment s = openOrFail(directory, first);
    try {
      if (s.data.size() < FILE_HEADER) {
        s.data.truncate(0);
        s.writeFileHeader();
      }
      long[] offsets = s.scan(true);
      s.count = offsets.length;
      s.rewriteIndex(offsets);
      return s;
    } catch (IOException e) {
      s.closeQuietly();
      throw new LedgerException("cannot read ledger segment " + s.dataPath + ": " + e, e);
    } catch (LedgerException | RuntimeException e) {
      s.closeQuietly();
      throw e;
    }
  }

  private static Segment openOrFail(Path directory, long first) throws LedgerException {
    try {
      return openFiles(directory, first);
    } catch (IOException e) {
      throw new LedgerException(
          "cannot open ledger segment " + directory.resolve(dataFileName(first)) + ": " + e, e);
    }
  }

  private static Segment openFiles(Path directory, long first) throws IOException {
    Path dataPath = directory.resolve(dataFileName(first));
    Path indexPath = directory.resolve(dataFileName(first).replace(".seg", ".idx"));
    FileChannel data =
        FileChannel.open(
            dataPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileChannel index =
          FileChannel.open(
              indexPath,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      return new Segment(first, dataPath, indexPath, data, index);
    } catch (IOException e) {
      data.close();
      throw e;
    }
  }

  private void writeFileHeader() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).putInt(MAGIC).putInt(VERSION).flip();
    Records.writeFully(data, header, 0);
    size = FILE_HEADER;
  }

  /** Whether the index has one entry per block and its last entry points at the last record. */
  private boolean indexMatches() throws IOException {
    if (index.size() != count * Long.BYTES) {
      return false;
    }
    if (count == 0) {
      return size == FILE_HEADER;
    }
    long last = Records.readLong(index, (count - 1) * Long.BYTES);
    if (last < FILE_HEADER || last + RECORD_HEADER > size) {
      return false;
    }
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
    Records.readFully(data, header, last);
    header.flip();
    return Records.headerIsValid(header)
        && header.getLong(4) == first + count - 1
        && last + RECORD_HEADER + header.getInt(0) == size;
  }

  /**
   * Reads every record from the start, checking checksums and numbers, and returns their offsets.
   * With {@code lenient} a torn tail is truncated (and logged); otherwise anything but an exact run
   * of intact records to the end of the file is corruption.
   */
  private long[] scan(boolean lenient) throws IOException, LedgerException {
    long fileSize = data.size();
    ByteBuffer fileHeader = ByteBuffer.allocate(FILE_HEADER);
    if (fileSize < FILE_HEADER) {
      throw corrupt(0, "file is shorter than its header");
    }
    Records.readFully(data, fileHeader, 0);
    if (fileHeader.getInt(0) != MAGIC || fileHeader.getInt(4) != VERSION) {
      throw corrupt(0, "not a ledger segment of format version " + VERSION);
    }
    long[] offsets = new long[64];
    int n = 0;
    long pos = FILE_HEADER;
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
    ByteBuffer payload = ByteBuffer.allocate(0);
    String torn = null;
    while (pos < fileSize) {
      long expected = first + n;
      if (fileSize - pos < RECORD_HEADER) {
        torn = "partial record header";
        break;
      }
      header.clear();
      Records.readFully(data, header, pos);
      header.flip();
      if (!Records.headerIsValid(header)) {
        if (lenient && zerosFrom(pos, fileSize)) {
          torn = "zeros";
          break;
        }
        throw corrupt(pos, "record header checksum mismatch (block " + expected + " expected)");
      }
      int length = header.getInt(0);
      long number = header.getLong(4);
      if (number != expected) {
        throw corrupt(pos, "found block " + number + " where block " + expected + " belongs");
      }
      long end = pos + RECORD_HEADER + length;
      if (length < 0 || end > fileSize) {
        torn = "block " + expected + " cut short";
        break;
      }
      if (payload.capacity() < length) {
        payload = ByteBuffer.allocate(Math.max(length, payload.capacity() * 2));
      }
      payload.clear().limit(length);
      Records.readFully(data, payload, pos + RECORD_HEADER);
      if (Records.crc(payload.array(), 0, length) != header.getInt(12)) {
        if (end == fileSize) {
          torn = "block " + expected + " checksum mismatch in the last record";
          break;
        }
        throw corrupt(pos, "block " + expected + " checksum mismatch");
      }
      if (n == offsets.length) {
        offsets = Arrays.copyOf(offsets, n * 2);
      }
      offsets[n++] = pos;
      pos = end;
    }
    if (torn != null) {
      if (!lenient) {
        throw corrupt(pos, "sealed segment ends in a torn record (" + torn + ")");
      }
      log.warn(
          "ledger segment {}: dropping a torn tail of {} bytes at offset {} ({}); {} intact blocks"
              + " kept",
          dataPath,
          fileSize - pos,
          pos,
          torn,
          n);
      data.truncate(pos);
      data.force(true);
    }
    size = pos;
    return Arrays.copyOf(offsets, n);
  }

  private boolean zerosFrom(long pos, long end) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    for (long p = pos; p < end; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - p));
      Records.readFully(data, buf, p);
      for (int i = 0; i < buf.limit(); i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
      p += buf.limit();
    }
    return true;
  }

  private void rewriteIndex(long[] offsets) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(offsets.length * Long.BYTES);
    for (long o : offsets) {
      buf.putLong(o);
    }
    buf.flip();
    index.truncate(0);
    Records.writeFully(index, buf, 0);
    index.force(true);
  }

  /** Bytes of data written so far (the end of the last complete record). */
  long size() {
    return size;
  }

  /** Number of records. */
  long count() {
    return count;
  }

  /**
   * Appends the record of {@code block} (already encoded as {@code payload}) and its index entry.
   * On failure the data file is cut back to the last complete record.
   */
  void append(long number, byte[] payload) throws IOException {
    ByteBuffer record = Records.encodeRecord(number, payload);
    try {
      Records.writeFully(data, record, size);
      ByteBuffer entry = ByteBuffer.allocate(Long.BYTES).putLong(0, size);
      Records.writeFully(index, entry, count * Long.BYTES);
    } catch (IOException e) {
      try {
        data.truncate(size);
        index.truncate(count * Long.BYTES);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    size += record.capacity();
    count++;
  }

  /** Forces written data (and, if {@code all}, the index) to the device. */
  void force(boolean all) throws IOException {
    data.force(false);
    if (all) {
      index.force(true);
    }
  }

  /** Offsets of records {@code from} to {@code to - 1}, read from the index. */
  long[] offsets(long from, long to) throws LedgerException {
    int n = (int) (to - from);
    ByteBuffer buf = ByteBuffer.allocate(n * Long.BYTES);
    try {
      Records.readFully(index, buf, (from - first) * Long.BYTES);
    } catch (IOException e) {
      throw new LedgerException(
          "cannot read index " + indexPath + " at offset " + (from - first) * Long.BYTES + ": " + e,
          e);
    }
    buf.flip();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = buf.getLong();
    }
    return out;
  }

  /**
   * Reads and checks blocks {@code from} onwards, whose records start at {@code offsets} (from the
   * index); {@code endOffset} is where the last record ends, or -1 if unknown (its header is then
   * read first). Contiguous records are read in chunks of up to {@value #READ_CHUNK} bytes.
   */
  List<Block> read(long from, long[] offsets, long endOffset) throws LedgerException {
    int n = offsets.length;
    if (n == 0) {
      return List.of();
    }
    long[] ends = new long[n];
    System.arraycopy(offsets, 1, ends, 0, n - 1);
    long pos = offsets[n - 1];
    try {
      if (endOffset >= 0) {
        ends[n - 1] = endOffset;
      } else {
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        Records.readFully(data, header, pos);
        if (!Records.headerIsValid(header)) {
          throw corrupt(pos, "record header checksum mismatch (block " + (from + n - 1) + ")");
        }
        ends[n - 1] = pos + RECORD_HEADER + header.getInt(0);
      }
      List<Block> out = new ArrayList<>(n);
      int i = 0;
      while (i < n) {
        pos = offsets[i];
        int j = i + 1;
        while (j < n && ends[j] - offsets[i] <= READ_CHUNK) {
          j++;
        }
        long span = ends[j - 1] - offsets[i];
        if (span < RECORD_HEADER || span > Integer.MAX_VALUE) {
          throw corrupt(pos, "index gives block " + (from + i) + " a record of " + span + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) span);
        Records.readFully(data, buf, pos);
        for (int k = i; k < j; k++) {
          pos = offsets[k];
          out.add(
              decodeRecord(
                  buf.array(),
                  (int) (offsets[k] - offsets[i]),
                  ends[k] - offsets[k],
                  from + k,
                  pos));
        }
        i = j;
      }
      return out;
    } catch (IOException e) {
      throw new LedgerException("cannot read from " + dataPath + " at offset " + pos + ": " + e, e);
    }
  }

  private Block decodeRecord(byte[] buf, int at, long size, long number, long offset)
      throws LedgerException {
    if (size < RECORD_HEADER || at + size > buf.length) {
      throw corrupt(offset, "index gives block " + number + " a record of " + size + " bytes");
    }
    ByteBuffer header = ByteBuffer.wrap(buf, at, RECORD_HEADER).slice();
    if (!Records.headerIsValid(header)) {
      throw corrupt(offset, "record header checksum mismatch (block " + number + ")");
    }
    if (header.getLong(4) != number) {
      throw corrupt(
          offset, "found block " + header.getLong(4) + " where block " + number + " belongs");
    }
    int length = header.getInt(0);
    if (RECORD_HEADER + (long) length != size) {
      throw corrupt(offset, "record of block " + number + " does not end where the index says");
    }
    if (Records.crc(buf, at + RECORD_HEADER, length) != header.getInt(12)) {
      throw corrupt(offset, "block " + number + " checksum mismatch");
    }
    try {
      Block block = BlockCodec.decode(buf, at + RECORD_HEADER, length);
      if (block.number() != number) {
        throw corrupt(offset, "record of block " + number + " holds block " + block.number());
      }
      return block;
    } catch (InvalidProtocolBufferException e) {
      throw new LedgerException(
          "corrupt ledger segment "
              + dataPath
              + " at byte offset "
              + offset
              + ": block "
              + number
              + " is not a common.Block: "
              + e.getMessage(),
          e);
    }
  }

  LedgerException corrupt(long offset, String what) {
    return new LedgerException(
        "corrupt ledger segment " + dataPath + " at byte offset " + offset + ": " + what);
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  @Override
  public void close() throws IOException {
    try {
      data.close();
    } finally {
      index.close();
    }
  }

  @Override
  public String toString() {
    return "Segment[" + dataPath + ", first=" + first + ", count=" + count + "]";
  }
}
