package org.ledgergossip.ledger;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;

/**
 * The {@code file} {@link LedgerStoreProvider}, the embedded default (priority {@value #PRIORITY}):
 * append-only segment files of CRC32C-checksummed records with an index, in {@link
 * LedgerOptions#directory()} (the on-disk format is in the package Javadoc).
 *
 * <p>Properties of {@link LedgerOptions#properties()}:
 *
 * <ul>
 *   <li>{@value #FSYNC_PROPERTY}: {@code always} (default; each append is forced to the device
 *       before it returns), {@code batch} (every {@value #FSYNC_BATCH_PROPERTY} appends) or {@code
 *       never} (only when a segment is sealed and on close). Every policy survives a process crash;
 *       only {@code always} survives a power loss without losing an acknowledged block.
 *   <li>{@value #FSYNC_BATCH_PROPERTY}: appends per fsync under {@code batch}, default {@value
 *       #DEFAULT_FSYNC_BATCH}.
 *   <li>{@value #SEGMENT_SIZE_PROPERTY}: bytes after which a new segment file is started, default
 *       {@value #DEFAULT_SEGMENT_SIZE} (a block larger than that gets a segment of its own).
 * </ul>
 *
 * <p>{@link #open} takes an exclusive lock on the directory's {@code LOCK} file: a second store of
 * the same directory, in this process or another, is refused until the first is closed or its
 * process dies. Opening recovers what a crash left: a torn last record is dropped, corruption
 * before it is refused with the file and byte offset.
 *
 * <p>Stateless and thread-safe.
 */
@AutoService(LedgerStoreProvider.class)
public final class FileLedgerStoreProvider implements LedgerStoreProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "file";

  /** The provider's priority, {@value}: the default when no store is named. */
  public static final int PRIORITY = 10;

  /** Property choosing the fsync policy: {@code always}, {@code batch} or {@code never}. */
  public static final String FSYNC_PROPERTY = "file.fsync";

  /** Property giving the appends per fsync under {@code batch}. */
  public static final String FSYNC_BATCH_PROPERTY = "file.fsync.batch";

  /** Property giving the segment size in bytes. */
  public static final String SEGMENT_SIZE_PROPERTY = "file.segmentSize";

  /** Default of {@value #FSYNC_BATCH_PROPERTY}. */
  public static final int DEFAULT_FSYNC_BATCH = 64;

  /** Default of {@value #SEGMENT_SIZE_PROPERTY}: 64 MiB. */
  public static final long DEFAULT_SEGMENT_SIZE = 64L * 1024 * 1024;

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public FileLedgerStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * Opens the ledger in {@code options.directory()}, creating it if needed.
   *
   * @throws LedgerException if a property is invalid (naming it), the directory is locked by
   *     another store, or the ledger is corrupt (naming the file and byte offset)
   */
  @Override
  public LedgerStore open(LedgerOptions options) throws LedgerException {
    requireNonNull(options, "options");
    String fsyncName = options.properties().getOrDefault(FSYNC_PROPERTY, "always");
    FsyncPolicy fsync = FsyncPolicy.parse(fsyncName);
    if (fsync == null) {
      throw new LedgerException(
          "ledger option "
              + FSYNC_PROPERTY
              + "="
              + fsyncName
              + ": expected always, batch or never");
    }
    int batch =
        (int) positive(options, FSYNC_BATCH_PROPERTY, DEFAULT_FSYNC_BATCH, Integer.MAX_VALUE);
    long segmentSize =
        positive(options, SEGMENT_SIZE_PROPERTY, DEFAULT_SEGMENT_SIZE, Long.MAX_VALUE);
    return FileLedgerStore.open(options.directory(), fsync, batch, segmentSize);
  }

  private static long positive(LedgerOptions options, String key, long defaultValue, long max)
      throws LedgerException {
    String value = options.properties().get(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      long v = Long.parseLong(value.trim());
      if (v > 0 && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new LedgerException(
        "ledger option " + key + "=" + value + ": expected a positive integer up to " + max);
  }

  @Override
  public String toString() {
    return "FileLedgerStoreProvider";
  }
}
