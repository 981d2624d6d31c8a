package example.sqlite;

import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.ledgergossip.tck.LedgerStoreContract;

/**
 * The kit's {@link LedgerStoreContract} on the {@code sqlite} store, found by name through the
 * service loader as the node finds it. The torn-tail rule is skipped: SQLite commits atomically, so
 * a crash cannot tear a block (see {@link SqliteLedgerStore}).
 */
// tag::contract[]
class SqliteLedgerContractTest extends LedgerStoreContract {

  @Override
  protected LedgerStore open(LedgerOptions options) throws Exception {
    return Providers.load(LedgerStoreProvider.class, "sqlite").open(options);
  }
// end::contract[]
}
