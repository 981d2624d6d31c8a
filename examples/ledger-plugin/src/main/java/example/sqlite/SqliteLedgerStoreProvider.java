package example.sqlite;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import java.util.Locale;
import java.util.Set;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The {@code sqlite} {@link LedgerStoreProvider}: each channel's blocks in one SQLite database
 * file, {@code ledger.sqlite}, in {@link LedgerOptions#directory()}, through the {@code
 * sqlite-jdbc} driver. Operators select it by name: {@code peer.ledger.store: sqlite} in {@code
 * core.yaml}, or {@code GossipNode.builder().ledger("sqlite", properties)} in code. Its priority
 * ({@value #PRIORITY}) is below the {@code file} store's, so it is never chosen unless named.
 *
 * <p>The database is in WAL mode; each append is one transaction. {@link
 * LedgerOptions#properties()} may set {@value #SYNCHRONOUS_PROPERTY}: {@code full} (the default:
 * the WAL is forced to the device before {@code append} returns, so an acknowledged block survives
 * a power loss), {@code extra}, or {@code normal} (survives a process crash; the last blocks may be
 * lost on a power loss). {@link #open} takes an exclusive lock on the directory's {@code LOCK}
 * file: a second store of the same directory, in this process or another, is refused until the
 * first is closed or its process dies.
 *
 * <p>{@link #isAvailable()} is false when sqlite-jdbc has no native library for this operating
 * system and architecture; {@link #unavailableReason()} then says why.
 *
 * <p>Stateless and thread-safe; created by {@link java.util.ServiceLoader}.
 */
// tag::provider[]
@AutoService(LedgerStoreProvider.class)
public final class SqliteLedgerStoreProvider implements LedgerStoreProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "sqlite";

  /** The provider's priority, {@value}: below {@code file} (10), so only chosen by name. */
  public static final int PRIORITY = 5;

  /**
   * Property choosing SQLite's {@code synchronous} level: {@code full}, {@code extra}, {@code
   * normal}.
   */
  public static final String SYNCHRONOUS_PROPERTY = "sqlite.synchronous";

  private static final Set<String> SYNCHRONOUS_LEVELS = Set.of("full", "extra", "normal");

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public SqliteLedgerStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }
// end::provider[]

  /** True when sqlite-jdbc's native library loads in this JVM. */
  @Override
  public boolean isAvailable() {
    return NativeLibrary.PROBLEM.isEmpty();
  }

  @Override
  public String unavailableReason() {
    return NativeLibrary.PROBLEM;
  }

  /**
   * Opens the ledger in {@code options.directory()}, creating it if needed.
   *
   * @throws LedgerException if {@value #SYNCHRONOUS_PROPERTY} is invalid (naming it), the driver is
   *     unavailable, the directory is locked by another store, or the file is not a ledger database
   *     (naming the file)
   */
  @Override
  public LedgerStore open(LedgerOptions options) throws LedgerException {
    requireNonNull(options, "options");
    String level = options.properties().getOrDefault(SYNCHRONOUS_PROPERTY, "full");
    if (!SYNCHRONOUS_LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
      throw new LedgerException(
          "ledger option "
              + SYNCHRONOUS_PROPERTY
              + "="
              + level
              + ": expected full, extra or normal");
    }
    if (!isAvailable()) {
      throw new LedgerException("the sqlite ledger store is unavailable: " + unavailableReason());
    }
    return SqliteLedgerStore.open(options.directory(), level.toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "SqliteLedgerStoreProvider";
  }

  /** Loads sqlite-jdbc's native library once, on first use; never throws. */
  private static final class NativeLibrary {
    static final String PROBLEM = probe();

    private static String probe() {
      try {
        return SQLiteJDBCLoader.initialize()
            ? ""
            : "sqlite-jdbc found no native SQLite library for this platform";
      } catch (Exception | LinkageError e) {
        return "sqlite-jdbc could not load its native SQLite library: " + e;
      }
    }
  }
}
