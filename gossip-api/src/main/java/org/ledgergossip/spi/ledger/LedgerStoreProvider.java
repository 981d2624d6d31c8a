package org.ledgergossip.spi.ledger;

import org.ledgergossip.spi.Provider;

/**
 * Opens {@link LedgerStore}s. Registered with {@code @AutoService(LedgerStoreProvider.class)};
 * selected by {@code peer.ledger.store}.
 */
public interface LedgerStoreProvider extends Provider {

  /**
   * Opens (creating if needed) the store of one channel. Recovers what a crash left: a torn last
   * block is dropped; corruption before it is refused.
   *
   * @throws LedgerException if the store cannot be opened, naming the file and offset when it is
   *     corrupt, or if another process holds it
   */
  LedgerStore open(LedgerOptions options) throws LedgerException;
}
