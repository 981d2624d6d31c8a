package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;

/** A channel's blocks in a {@link LedgerStore}, which the emulator owns and closes. */
final class LedgerBlockLog implements BlockLog {

  private final LedgerStore store;

  LedgerBlockLog(LedgerStore store) {
    this.store = requireNonNull(store, "store");
  }

  @Override
  public long height() {
    return store.height();
  }

  @Override
  public long oldest() {
    return 0;
  }

  @Override
  public void append(Block block) throws LedgerException {
    store.append(block);
  }

  @Override
  public Optional<Block> get(long number) throws LedgerException {
    return store.get(number);
  }

  @Override
  public void close() throws LedgerException {
    store.close();
  }
}
