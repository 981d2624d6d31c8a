package org.ledgergossip.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.ledgergossip.tck.ProviderContract;

/** Both providers are registered and well-formed; {@code file} is the default. */
class LedgerProviderContractTest {

  @Test
  void fileIsTheDefaultLedgerStore() {
    assertThat(Providers.list(LedgerStoreProvider.class))
        .extracting(LedgerStoreProvider::name)
        .contains("file", "memory");
    assertThat(Providers.load(LedgerStoreProvider.class))
        .isInstanceOf(FileLedgerStoreProvider.class);
  }

  @Nested
  class File extends ProviderContract<LedgerStoreProvider> {
    @Override
    protected Class<LedgerStoreProvider> spi() {
      return LedgerStoreProvider.class;
    }

    @Override
    protected String expectedName() {
      return "file";
    }

    @Override
    protected Class<? extends LedgerStoreProvider> implementation() {
      return FileLedgerStoreProvider.class;
    }
  }

  @Nested
  class Memory extends ProviderContract<LedgerStoreProvider> {
    @Override
    protected Class<LedgerStoreProvider> spi() {
      return LedgerStoreProvider.class;
    }

    @Override
    protected String expectedName() {
      return "memory";
    }

    @Override
    protected Class<? extends LedgerStoreProvider> implementation() {
      return MemoryLedgerStoreProvider.class;
    }
  }
}
