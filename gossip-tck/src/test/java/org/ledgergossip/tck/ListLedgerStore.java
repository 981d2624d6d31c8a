package org.ledgergossip.tck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;

/**
 * A small list-backed {@link LedgerStore} for the kit's self-tests, correct unless built with a
 * {@link Breakage}. Ledgers are kept in this JVM by directory, so reopening finds them.
 */
final class ListLedgerStore implements LedgerStore {

  /** A deliberate defect. */
  enum Breakage {
    /** None: a correct store. */
    NONE,
    /** Appends any block number at the end, leaving gaps or duplicates. */
    ACCEPTS_ANY_NUMBER,
    /** Loses the last block when the ledger is reopened. */
    LOSES_LAST_BLOCK_ON_REOPEN
  }

  private static final Map<Path, List<Block>> LEDGERS = new ConcurrentHashMap<>();

  private final List<Block> blocks;
  private final Breakage breakage;
  private boolean closed;

  private ListLedgerStore(List<Block> blocks, Breakage breakage) {
    this.blocks = blocks;
    this.breakage = breakage;
  }

  static LedgerStore open(LedgerOptions options, Breakage breakage) {
    List<Block> blocks = LEDGERS.computeIfAbsent(options.directory(), d -> new ArrayList<>());
    synchronized (blocks) {
      if (breakage == Breakage.LOSES_LAST_BLOCK_ON_REOPEN && !blocks.isEmpty()) {
        blocks.remove(blocks.size() - 1);
      }
    }
    return new ListLedgerStore(blocks, breakage);
  }

  @Override
  public long height() {
    synchronized (blocks) {
      return blocks.size();
    }
  }

  @Override
  public void append(Block block) throws LedgerException {
    synchronized (blocks) {
      if (closed) {
        throw new LedgerException("closed");
      }
      if (block.number() != blocks.size() && breakage != Breakage.ACCEPTS_ANY_NUMBER) {
        throw new IllegalArgumentException("block " + block.number() + " at " + blocks.size());
      }
      blocks.add(block);
    }
  }

  @Override
  public Optional<Block> get(long number) {
    if (number < 0) {
      throw new IllegalArgumentException("negative");
    }
    synchronized (blocks) {
      return number < blocks.size() ? Optional.of(blocks.get((int) number)) : Optional.empty();
    }
  }

  @Override
  public List<Block> range(long from, long toExclusive) {
    if (from < 0 || toExclusive < from) {
      throw new IllegalArgumentException("bad range");
    }
    synchronized (blocks) {
      int end = (int) Math.min(toExclusive, blocks.size());
      return from >= end ? List.of() : List.copyOf(blocks.subList((int) from, end));
    }
  }

  @Override
  public void close() {
    synchronized (blocks) {
      closed = true;
    }
  }
}
