package example.sqlite;

import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.ledgergossip.tck.ProviderContract;

/** The {@code sqlite} provider is registered (by {@code @AutoService}) and well-formed. */
// tag::provider-contract[]
class SqliteProviderContractTest extends ProviderContract<LedgerStoreProvider> {

  @Override
  protected Class<LedgerStoreProvider> spi() {
    return LedgerStoreProvider.class;
  }

  @Override
  protected String expectedName() {
    return "sqlite";
  }

  @Override
  protected Class<? extends LedgerStoreProvider> implementation() {
    return SqliteLedgerStoreProvider.class;
  }
}
// end::provider-contract[]
