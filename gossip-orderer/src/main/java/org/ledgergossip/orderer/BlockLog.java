package org.ledgergossip.orderer;

import java.util.Optional;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;

/**
 * Where the emulator keeps a channel's blocks. One writer (the emulator's scheduler); readers on
 * any thread.
 */
interface BlockLog extends AutoCloseable {

  /** Number of blocks written: the number of the next block. */
  long height();

  /** The lowest block number still readable (0 unless old blocks were dropped). */
  long oldest();

  /** Appends the block numbered {@link #height()}. */
  void append(Block block) throws LedgerException;

  /** The block numbered {@code number}, or empty if it is not (or no longer) held. */
  Optional<Block> get(long number) throws LedgerException;

  @Override
  void close() throws LedgerException;
}
