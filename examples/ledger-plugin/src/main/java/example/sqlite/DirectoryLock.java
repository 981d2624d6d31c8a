package example.sqlite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ledgergossip.spi.ledger.LedgerException;

/**
 * The single-writer lock of a ledger directory: an exclusive {@link FileLock} on the file {@value
 * #LOCK_FILE}, which holds the owner's process id for the error message of the next one. Released
 * by {@link #close()} or when the process dies; the file itself stays.
 *
 * <p>SQLite's own locks would let a second writer in: they serialise writers per transaction, they
 * do not refuse a second store. Thread-safe.
 */
final class DirectoryLock implements AutoCloseable {

  /** Name of the lock file in the ledger directory. */
  static final String LOCK_FILE = "LOCK";

  /**
   * Directories locked by this JVM, checked before the lock file is opened at all: closing a second
   * descriptor of the file would drop this process's POSIX lock on it.
   */
  private static final Set<Path> LOCKED_HERE = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code directory}, which must exist.
   *
   * @throws LedgerException if another store (of this or another process) holds it, or on I/O error
   */
  static DirectoryLock acquire(Path directory) throws LedgerException {
    Path file = directory.resolve(LOCK_FILE);
    Path key;
    try {
      key = directory.toRealPath();
    } catch (IOException e) {
      throw new LedgerException("cannot resolve ledger directory " + directory + ": " + e, e);
    }
    if (!LOCKED_HERE.add(key)) {
      throw locked(directory, file, ProcessHandle.current().pid() + " (this process)");
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw locked(directory, file, owner(channel));
      }
      channel.truncate(0);
      byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
      channel.write(ByteBuffer.wrap(pid), 0);
      return new DirectoryLock(key, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      LOCKED_HERE.remove(key);
      throw new LedgerException("cannot lock " + file + ": " + e, e);
    } catch (LedgerException e) {
      closeQuietly(channel);
      LOCKED_HERE.remove(key);
      throw e;
    }
  }

  private static LedgerException locked(Path directory, Path file, String owner) {
    return new LedgerException(
        "ledger directory "
            + directory
            + " is already open by another writer (lock file "
            + file
            + " held by process "
            + owner
            + "); close that store or stop that process first");
  }

  private static String owner(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      channel.read(buf, 0);
      buf.flip();
      String pid = StandardCharsets.US_ASCII.decode(buf).toString().trim();
      return pid.isEmpty() ? "unknown" : pid;
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      try {
        channel.close();
      } finally {
        LOCKED_HERE.remove(key);
      }
    }
  }
}
