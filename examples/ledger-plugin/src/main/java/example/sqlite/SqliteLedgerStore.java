package example.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.sqlite.SQLiteDataSource;

/**
 * One channel's ledger in one SQLite database, {@value #DATABASE_FILE} in the ledger directory,
 * table {@code blocks (number INTEGER PRIMARY KEY, block BLOB NOT NULL)}: the block number is the
 * row id, so {@code get} and {@code range} are b-tree lookups and range scans that read only the
 * rows asked for; {@code block} is Fabric's marshalled {@code common.Block} ({@link BlockCodec}).
 * The file is marked with {@code PRAGMA application_id} {@value #APPLICATION_ID} and {@code
 * user_version} {@value #FORMAT_VERSION}; another SQLite file is refused.
 *
 * <p><b>Durability.</b> The database is in WAL mode; each append is one transaction (autocommit),
 * and with {@code synchronous=FULL} (the default) SQLite has forced the WAL to the device before
 * {@link #append} returns. A crash can never leave half a block: SQLite's commit is atomic, so the
 * kit's torn-tail rule does not apply (it shows as skipped).
 *
 * <p><b>Threading.</b> One writer connection, used under a lock by {@link #append} and {@link
 * #close}. Readers borrow one of at most {@value #MAX_READERS} read-only connections; in WAL mode
 * they read a snapshot and never wait for the writer. The height is published after the commit, so
 * a reader sees the old or the new height and every block below it. All methods are thread-safe.
 *
 * <p><b>Errors.</b> Every {@link LedgerException} names the database file; a block number out of
 * place is an {@link IllegalArgumentException} naming the numbers, as the SPI says.
 */
final class SqliteLedgerStore implements LedgerStore {

  /** Name of the database file in the ledger directory. */
  static final String DATABASE_FILE = "ledger.sqlite";

  /** {@code PRAGMA application_id} of a ledger database: the ASCII of "LGSQ". */
  static final int APPLICATION_ID = 0x4C475351;

  /** {@code PRAGMA user_version}: the version of the table layout. */
  static final int FORMAT_VERSION = 1;

  /** Most read-only connections open at once; a reader beyond that waits for one. */
  static final int MAX_READERS = 4;

  private static final Duration READER_WAIT = Duration.ofSeconds(30);
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private static final String INSERT = "INSERT INTO blocks (number, block) VALUES (?, ?)";
  private static final String SELECT_ONE = "SELECT block FROM blocks WHERE number = ?";
  private static final String SELECT_RANGE =
      "SELECT number, block FROM blocks WHERE number >= ? AND number < ? ORDER BY number";

  private final Path file;
  private final SQLiteDataSource source;
  private final DirectoryLock lock;
  private final Object writeLock = new Object();
  private final Connection writer; // guarded by writeLock
  private final PreparedStatement insert; // guarded by writeLock
  private final Semaphore readerPermits = new Semaphore(MAX_READERS);
  private final ConcurrentLinkedQueue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
  private volatile long height;
  private volatile boolean closed;

  private SqliteLedgerStore(
      Path file,
      SQLiteDataSource source,
      DirectoryLock lock,
      Connection writer,
      PreparedStatement insert,
      long height) {
    this.file = file;
    this.source = source;
    this.lock = lock;
    this.writer = writer;
    this.insert = insert;
    this.height = height;
  }

  /**
   * Opens (creating if needed) the ledger in {@code directory}.
   *
   * @param synchronous the value of {@code PRAGMA synchronous}: {@code FULL}, {@code EXTRA} or
   *     {@code NORMAL}
   * @throws LedgerException if the directory is locked by another store, the file is not a ledger
   *     database of this layout, or SQLite fails; naming the file
   */
  static SqliteLedgerStore open(Path directory, String synchronous) throws LedgerException {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new LedgerException("cannot create ledger directory " + directory + ": " + e, e);
    }
    DirectoryLock lock = DirectoryLock.acquire(directory);
    Path file = directory.resolve(DATABASE_FILE);
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    Connection writer = null;
    try {
      writer = source.getConnection();
      long height = prepare(writer, file, synchronous);
      PreparedStatement insert = writer.prepareStatement(INSERT);
      return new SqliteLedgerStore(file, source, lock, writer, insert, height);
    } catch (SQLException e) {
      closeQuietly(writer, lock);
      throw new LedgerException("cannot open ledger database " + file + ": " + e.getMessage(), e);
    } catch (LedgerException | RuntimeException e) {
      closeQuietly(writer, lock);
      throw e;
    }
  }

  /** Checks or creates the layout, sets WAL and the sync level; returns the height. */
  private static long prepare(Connection c, Path file, String synchronous)
      throws SQLException, LedgerException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
      int applicationId = (int) number(s, "PRAGMA application_id");
      boolean fresh = applicationId == 0 && number(s, "SELECT count(*) FROM sqlite_master") == 0;
      if (!fresh && applicationId != APPLICATION_ID) {
        throw new LedgerException(
            file
                + " is not a ledger of the sqlite store (PRAGMA application_id is 0x"
                + Integer.toHexString(applicationId)
                + ", expected 0x"
                + Integer.toHexString(APPLICATION_ID)
                + ")");
      }
      long version = number(s, "PRAGMA user_version");
      if (!fresh && version != FORMAT_VERSION) {
        throw new LedgerException(
            file + " has layout version " + version + "; this store reads " + FORMAT_VERSION);
      }
      String mode = text(s, "PRAGMA journal_mode = WAL");
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new LedgerException(
            "cannot put " + file + " in WAL mode (journal_mode " + mode + ")");
      }
      s.execute("PRAGMA synchronous = " + synchronous);
      if (fresh) {
        c.setAutoCommit(false);
        s.execute("CREATE TABLE blocks (number INTEGER PRIMARY KEY, block BLOB NOT NULL)");
        s.execute("PRAGMA application_id = " + APPLICATION_ID);
        s.execute("PRAGMA user_version = " + FORMAT_VERSION);
        c.commit();
        c.setAutoCommit(true);
      }
      try (ResultSet rs = s.executeQuery("SELECT min(number), max(number) FROM blocks")) {
        rs.next();
        long first = rs.getLong(1);
        if (rs.wasNull()) {
          return 0;
        }
        if (first != 0) {
          throw new LedgerException(file + " is corrupt: its first block is " + first + ", not 0");
        }
        return rs.getLong(2) + 1;
      }
    }
  }

  @Override
  public long height() {
    return height;
  }

  /**
   * Appends {@code block} in one transaction, durable (per {@code synchronous}) when this returns.
   *
   * @throws IllegalArgumentException if {@code block.number()} is not the height, naming both
   * @throws LedgerException if the store is closed or SQLite fails; the height is then unchanged
   */
  @Override
  public void append(Block block) throws LedgerException {
    synchronized (writeLock) {
      ensureOpen();
      long h = height;
      if (block.number() != h) {
        throw new IllegalArgumentException(
            "cannot append block "
                + block.number()
                + " to "
                + file
                + " at height "
                + h
                + ": only block "
                + h
                + " may be appended next");
      }
      try {
        insert.setLong(1, h);
        insert.setBytes(2, BlockCodec.encode(block));
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new LedgerException(
            "cannot append block " + h + " to " + file + ": " + e.getMessage(), e);
      }
      height = h + 1;
    }
  }

  @Override
  public Optional<Block> get(long number) throws LedgerException {
    if (number < 0) {
      throw new IllegalArgumentException("block number must be >= 0, was " + number);
    }
    ensureOpen();
    long h = height;
    if (number >= h) {
      return Optional.empty();
    }
    return Optional.of(
        read(
            "block " + number,
            c -> {
              try (PreparedStatement s = c.prepareStatement(SELECT_ONE)) {
                s.setLong(1, number);
                try (ResultSet rs = s.executeQuery()) {
                  if (!rs.next()) {
                    throw new LedgerException(
                        "block " + number + " is missing from " + file + " below height " + h);
                  }
                  return decode(number, rs.getBytes(1));
                }
              }
            }));
  }

  @Override
  public List<Block> range(long from, long toExclusive) throws LedgerException {
    if (from < 0 || toExclusive < from) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + toExclusive + ") must have 0 <= from <= toExclusive");
    }
    ensureOpen();
    long end = Math.min(toExclusive, height);
    if (from >= end) {
      return List.of();
    }
    return read(
        "blocks " + from + " to " + (end - 1),
        c -> {
          List<Block> out = new ArrayList<>((int) Math.min(end - from, 1024));
          try (PreparedStatement s = c.prepareStatement(SELECT_RANGE)) {
            s.setLong(1, from);
            s.setLong(2, end);
            try (ResultSet rs = s.executeQuery()) {
              long expected = from;
              while (rs.next()) {
                long n = rs.getLong(1);
                if (n != expected) {
                  throw new LedgerException(
                      "block "
                          + expected
                          + " is missing from "
                          + file
                          + " (next row is "
                          + n
                          + ")");
                }
                out.add(decode(n, rs.getBytes(2)));
                expected++;
              }
              if (expected != end) {
                throw new LedgerException(
                    "blocks " + expected + " to " + (end - 1) + " are missing from " + file);
              }
            }
          }
          return Collections.unmodifiableList(out);
        });
  }

  /** Closes the connections (the last one checkpoints the WAL) and releases the lock. */
  @Override
  public void close() throws LedgerException {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      closeIdleReaders();
      SQLException failure = null;
      try {
        insert.close();
        writer.close();
      } catch (SQLException e) {
        failure = e;
      }
      try {
        lock.close();
      } catch (IOException e) {
        throw new LedgerException("cannot release the lock of " + file + ": " + e, e);
      }
      if (failure != null) {
        throw new LedgerException("cannot close " + file + ": " + failure.getMessage(), failure);
      }
    }
  }

  /**
   * The writer's {@code PRAGMA synchronous}: 1 NORMAL, 2 FULL, 3 EXTRA (for tests and diagnostics).
   */
  long synchronousLevel() throws LedgerException {
    synchronized (writeLock) {
      ensureOpen();
      try (Statement s = writer.createStatement()) {
        return number(s, "PRAGMA synchronous");
      } catch (SQLException e) {
        throw new LedgerException("cannot read PRAGMA synchronous of " + file, e);
      }
    }
  }

  @Override
  public String toString() {
    return "SqliteLedgerStore[" + file + ", height=" + height + (closed ? ", closed]" : "]");
  }

  /** A query on a borrowed read-only connection. */
  @FunctionalInterface
  private interface Query<T> {
    T run(Connection connection) throws SQLException, LedgerException;
  }

  /** Runs {@code query} on a read-only connection, waiting (bounded) for one to be free. */
  private <T> T read(String what, Query<T> query) throws LedgerException {
    try {
      if (!readerPermits.tryAcquire(READER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new LedgerException(
            "no reader connection of "
                + file
                + " was free within "
                + READER_WAIT
                + " to read "
                + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException("interrupted while waiting to read " + what + " of " + file, e);
    }
    Connection c = idleReaders.poll();
    try {
      if (c == null) {
        c = openReader();
      }
      T result = query.run(c);
      idleReaders.add(c);
      c = null;
      if (closed) {
        closeIdleReaders();
      }
      return result;
    } catch (SQLException e) {
      throw new LedgerException("cannot read " + what + " of " + file + ": " + e.getMessage(), e);
    } finally {
      closeQuietly(c, null);
      readerPermits.release();
    }
  }

  private Connection openReader() throws SQLException {
    Connection c = source.getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
      s.execute("PRAGMA query_only = ON");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private Block decode(long number, byte[] bytes) throws LedgerException {
    Block block;
    try {
      block = BlockCodec.decode(bytes);
    } catch (IOException e) {
      throw new LedgerException(
          "row " + number + " of " + file + " is not a marshalled common.Block: " + e.getMessage(),
          e);
    }
    if (block.number() != number) {
      throw new LedgerException("row " + number + " of " + file + " holds block " + block.number());
    }
    return block;
  }

  private void ensureOpen() throws LedgerException {
    if (closed) {
      throw new LedgerException("ledger " + file + " is closed");
    }
  }

  private void closeIdleReaders() {
    Connection c;
    while ((c = idleReaders.poll()) != null) {
      closeQuietly(c, null);
    }
  }

  private static void closeQuietly(Connection c, DirectoryLock lock) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (SQLException ignored) {
      // already failing or closing
    }
    try {
      if (lock != null) {
        lock.close();
      }
    } catch (IOException ignored) {
      // already failing
    }
  }

  private static long number(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String text(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
