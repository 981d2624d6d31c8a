package org.ledgergossip.spi.ledger;

import java.util.List;
import java.util.Optional;
import org.ledgergossip.api.Block;

/**
 * The blocks of one channel, numbered from 0 without gaps.
 *
 * <p><b>Threading.</b> One writer ({@link #append}) at a time; readers may call {@link #height},
 * {@link #get} and {@link #range} concurrently with it and see either the old or the new height,
 * never a partial block.
 *
 * <p><b>Durability.</b> When {@link #append} returns, the block is as durable as the provider
 * promises (for {@code file}: it survives a process crash, and a power loss under {@code
 * fsync=always}).
 */
public interface LedgerStore extends AutoCloseable {

  /** Number of blocks stored: the number the next block must have. */
  long height();

  /**
   * Appends {@code block}, whose number must equal {@link #height()}.
   *
   * @throws IllegalArgumentException if {@code block.number() != height()}
   * @throws LedgerException if it could not be stored; the height is then unchanged
   */
  void append(Block block) throws LedgerException;

  /**
   * The block numbered {@code number}, or empty if {@code number >= height()}.
   *
   * @throws IllegalArgumentException if {@code number} is negative
   * @throws LedgerException if the stored block cannot be read
   */
  Optional<Block> get(long number) throws LedgerException;

  /**
   * Blocks {@code from} to {@code toExclusive - 1}, clipped at the height, without loading the rest
   * of the ledger.
   *
   * @throws IllegalArgumentException if {@code from < 0} or {@code toExclusive < from}
   * @throws LedgerException if a stored block cannot be read
   */
  List<Block> range(long from, long toExclusive) throws LedgerException;

  /** Flushes and releases the store (and its lock). Idempotent. */
  @Override
  void close() throws LedgerException;
}
