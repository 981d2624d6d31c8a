package org.ledgergossip.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code file} {@link LedgerStore}: append-only segments with checksummed records and an index
 * (format in the package Javadoc).
 *
 * <p><b>Threading.</b> {@link #append} and {@link #close} hold this store's monitor; {@link #get},
 * {@link #range} and {@link #height} take no lock: they read the volatile height, then the files
 * with positional reads, so they see either the old or the new height and never a partial block.
 */
final class FileLedgerStore implements LedgerStore {

  private static final Logger log = LoggerFactory.getLogger(FileLedgerStore.class);

  private final Path directory;
  private final FsyncPolicy fsync;
  private final int fsyncBatch;
  private final long segmentSize;
  private final DirectoryLock lock;

  /** Segments by first block number; readers look up, the appender adds. */
  private final ConcurrentSkipListMap<Long, Segment> segments;

  private volatile long height;
  private volatile boolean closed;

  // guarded by this
  private Segment active;
  private int unsynced;

  private FileLedgerStore(
      Path directory,
      FsyncPolicy fsync,
      int fsyncBatch,
      long segmentSize,
      DirectoryLock lock,
      ConcurrentSkipListMap<Long, Segment> segments) {
    this.directory = directory;
    this.fsync = fsync;
    this.fsyncBatch = fsyncBatch;
    this.segmentSize = segmentSize;
    this.lock = lock;
    this.segments = segments;
    this.active = segments.lastEntry().getValue();
    this.height = active.first + active.count();
  }

  /**
   * Opens (creating if needed) the ledger in {@code directory}: takes its lock, checks the sealed
   * segments, scans the last one and drops a torn tail.
   *
   * @throws LedgerException if it is locked, corrupt (naming file and offset) or unreadable
   */
  static FileLedgerStore open(Path directory, FsyncPolicy fsync, int fsyncBatch, long segmentSize)
      throws LedgerException {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new LedgerException("cannot create ledger directory " + directory + ": " + e, e);
    }
    DirectoryLock lock = DirectoryLock.acquire(directory);
    ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    try {
      List<Long> firsts = new ArrayList<>(segmentFirsts(directory));
      if (firsts.isEmpty()) {
        segments.put(0L, Segment.create(directory, 0));
        syncDirectory(directory, fsync);
      } else {
        if (firsts.get(0) != 0) {
          throw new LedgerException(
              "corrupt ledger "
                  + directory
                  + ": the first segment starts at block "
                  + firsts.get(0)
                  + ", "
                  + Segment.dataFileName(0)
                  + " is missing");
        }
        for (int i = 0; i < firsts.size() - 1; i++) {
          long first = firsts.get(i);
          segments.put(first, Segment.openSealed(directory, first, firsts.get(i + 1)));
        }
        long last = firsts.get(firsts.size() - 1);
        segments.put(last, Segment.openLast(directory, last));
      }
      FileLedgerStore store =
          new FileLedgerStore(directory, fsync, fsyncBatch, segmentSize, lock, segments);
      log.debug("opened ledger {} at height {}", directory, store.height);
      return store;
    } catch (IOException | LedgerException | RuntimeException e) {
      for (Segment s : segments.values()) {
        try {
          s.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      try {
        lock.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof LedgerException le) {
        throw le;
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new LedgerException("cannot open ledger " + directory + ": " + e, e);
    }
  }

  private static SortedSet<Long> segmentFirsts(Path directory) throws IOException {
    TreeSet<Long> out = new TreeSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "blocks-*.seg")) {
      for (Path f : files) {
        long first = Segment.parseDataFileName(f.getFileName().toString());
        if (first >= 0) {
          out.add(first);
        }
      }
    }
    return out;
  }

  private static void syncDirectory(Path directory, FsyncPolicy fsync) {
    if (fsync == FsyncPolicy.NEVER) {
      return;
    }
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {} (not supported here?): {}", directory, e.toString());
    }
  }

  @Override
  public long height() {
    return height;
  }

  @Override
  public synchronized void append(Block block) throws LedgerException {
    checkOpen();
    long h = height;
    if (block.number() != h) {
      throw new IllegalArgumentException(
          "block " + block.number() + " appended at height " + h + " of ledger " + directory);
    }
    byte[] payload = BlockCodec.encode(block);
    try {
      if (active.count() > 0
          && active.size() + Segment.RECORD_HEADER + payload.length > segmentSize) {
        roll(h);
      }
      active.append(h, payload);
      if (fsync == FsyncPolicy.ALWAYS || (fsync == FsyncPolicy.BATCH && ++unsynced >= fsyncBatch)) {
        active.force(false);
        unsynced = 0;
      }
    } catch (IOException e) {
      throw new LedgerException(
          "cannot append block " + h + " to " + active.dataPath + ": " + e, e);
    }
    height = h + 1;
  }

  /**
   * Seals the active segment (forcing it, unless fsync is never) and starts one at {@code next}.
   */
  private void roll(long next) throws IOException {
    if (fsync != FsyncPolicy.NEVER) {
      active.force(true);
    }
    unsynced = 0;
    Segment fresh = Segment.create(directory, next);
    segments.put(next, fresh);
    syncDirectory(directory, fsync);
    active = fresh;
  }

  @Override
  public Optional<Block> get(long number) throws LedgerException {
    if (number < 0) {
      throw new IllegalArgumentException("negative block number " + number);
    }
    checkOpen();
    if (number >= height) {
      return Optional.empty();
    }
    Segment s = segments.floorEntry(number).getValue();
    return Optional.of(s.read(number, s.offsets(number, number + 1), -1).get(0));
  }

  @Override
  public List<Block> range(long from, long toExclusive) throws LedgerException {
    if (from < 0 || toExclusive < from) {
      throw new IllegalArgumentException("bad block range [" + from + ", " + toExclusive + ")");
    }
    checkOpen();
    long h = height;
    long end = Math.min(toExclusive, h);
    List<Block> out = new ArrayList<>((int) Math.max(0, Math.min(end - from, 1 << 16)));
    long n = from;
    while (n < end) {
      Map.Entry<Long, Segment> e = segments.floorEntry(n);
      Segment segment = e.getValue();
      Long next = segments.higherKey(e.getKey());
      long segmentEnd = next == null ? h : next; // blocks of this segment below the height
      long to = Math.min(end, segmentEnd);
      if (to < segmentEnd) {
        // the index entry of block `to` says where the last record asked for ends
        long[] offsets = segment.offsets(n, to + 1);
        out.addAll(
            segment.read(
                n, Arrays.copyOf(offsets, offsets.length - 1), offsets[offsets.length - 1]));
      } else {
        out.addAll(segment.read(n, segment.offsets(n, to), -1));
      }
      n = to;
    }
    return out;
  }

  private void checkOpen() throws LedgerException {
    if (closed) {
      throw new LedgerException("ledger " + directory + " is closed");
    }
  }

  @Override
  public synchronized void close() throws LedgerException {
    if (closed) {
      return;
    }
    closed = true;
    @Nullable IOException failure = null;
    try {
      active.force(true);
    } catch (IOException e) {
      failure = e;
    }
    for (Segment s : segments.values()) {
      try {
        s.close();
      } catch (IOException e) {
        failure = add(failure, e);
      }
    }
    try {
      lock.close();
    } catch (IOException e) {
      failure = add(failure, e);
    }
    if (failure != null) {
      throw new LedgerException("closing ledger " + directory + ": " + failure, failure);
    }
  }

  private static IOException add(@Nullable IOException failure, IOException e) {
    if (failure == null) {
      return e;
    }
    failure.addSuppressed(e);
    return failure;
  }

  @Override
  public String toString() {
    return "FileLedgerStore["
        + directory
        + ", height="
        + height
        + ", fsync="
        + fsync.configName()
        + "]";
  }
}
