package org.ledgergossip.ledger;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;

/**
 * The {@code memory} {@link LedgerStoreProvider}: ledgers held on the JVM heap, for tests and
 * simulations. Its priority ({@value #PRIORITY}) is below {@code file}'s, so it is used only when
 * named.
 *
 * <p>A ledger is identified by its {@link LedgerOptions#directory()} (made absolute and normalized)
 * and {@link LedgerOptions#channel()}. Closing a store keeps its blocks in this JVM, so opening the
 * same ledger again finds them, as a restarted peer of a simulation would; {@link #discard} forgets
 * a closed ledger. Like {@code file}, a ledger has one open store at a time: a second {@link #open}
 * while the first is open fails with {@link LedgerException}. Nothing is kept on disk; the size is
 * bounded only by the heap.
 *
 * <p>Stateless apart from that JVM-wide registry of ledgers, and thread-safe.
 */
@AutoService(LedgerStoreProvider.class)
public final class MemoryLedgerStoreProvider implements LedgerStoreProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "memory";

  /** The provider's priority, {@value}: never chosen unless named. */
  public static final int PRIORITY = -100;

  private static final ConcurrentMap<LedgerKey, MemoryLedgerStore.Ledger> LEDGERS =
      new ConcurrentHashMap<>();

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public MemoryLedgerStoreProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * The store of this ledger, with the blocks it had when last closed in this JVM, or empty.
   *
   * @throws LedgerException if a store of the same ledger is open
   */
  @Override
  public LedgerStore open(LedgerOptions options) throws LedgerException {
    requireNonNull(options, "options");
    MemoryLedgerStore.Ledger ledger =
        LEDGERS.computeIfAbsent(key(options), k -> new MemoryLedgerStore.Ledger(k.toString()));
    return MemoryLedgerStore.open(ledger);
  }

  /**
   * Forgets the blocks of this closed ledger, freeing their memory; does nothing if it is unknown.
   *
   * @throws IllegalStateException if a store of this ledger is open
   */
  public static void discard(LedgerOptions options) {
    requireNonNull(options, "options");
    LEDGERS.computeIfPresent(
        key(options),
        (k, ledger) -> {
          if (ledger.isOpen()) {
            throw new IllegalStateException("memory ledger " + k + " is open");
          }
          return null;
        });
  }

  private static LedgerKey key(LedgerOptions options) {
    return new LedgerKey(options.directory().toAbsolutePath().normalize(), options.channel());
  }

  @Override
  public String toString() {
    return "MemoryLedgerStoreProvider";
  }

  private record LedgerKey(Path directory, String channel) {
    @Override
    public String toString() {
      return channel + "@" + directory;
    }
  }
}
