package org.ledgergossip.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.tck.LedgerStoreContract.block;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;

/** Rules of the {@code memory} store beyond the contract: one open store per ledger, discard. */
class MemoryLedgerStoreProviderTest {

  @TempDir Path tmp;

  @Test
  void secondOpenOfAnOpenMemoryLedgerIsRefused() throws Exception {
    LedgerOptions options = new LedgerOptions("ch", tmp, Map.of());
    MemoryLedgerStoreProvider provider = new MemoryLedgerStoreProvider();
    try (LedgerStore first = provider.open(options)) {
      assertThatThrownBy(() -> provider.open(options))
          .isInstanceOf(LedgerException.class)
          .hasMessageContaining("already open");
      assertThatThrownBy(() -> MemoryLedgerStoreProvider.discard(options))
          .isInstanceOf(IllegalStateException.class);
      first.append(block(0));
    }
    try (LedgerStore again = provider.open(options)) {
      assertThat(again.height()).isEqualTo(1);
    }
  }

  @Test
  void channelsOfOneDirectoryAreSeparateLedgersAndDiscardForgetsOne() throws Exception {
    MemoryLedgerStoreProvider provider = new MemoryLedgerStoreProvider();
    LedgerOptions a = new LedgerOptions("a", tmp, Map.of());
    LedgerOptions b = new LedgerOptions("b", tmp, Map.of());
    try (LedgerStore sa = provider.open(a);
        LedgerStore sb = provider.open(b)) {
      sa.append(block(0));
      assertThat(sb.height()).isZero();
    }
    MemoryLedgerStoreProvider.discard(a);
    try (LedgerStore sa = provider.open(a)) {
      assertThat(sa.height()).isZero();
    }
  }
}
