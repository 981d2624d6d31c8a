package org.ledgergossip.ledger;

import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.tck.LedgerStoreContract;

/** The {@code memory} store passes the ledger contract; it has no torn tail (that rule skips). */
class MemoryLedgerContractTest extends LedgerStoreContract {

  @Override
  protected LedgerStore open(LedgerOptions options) throws Exception {
    return new MemoryLedgerStoreProvider().open(options);
  }
}
