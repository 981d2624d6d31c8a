package org.ledgergossip.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;

/**
 * A {@link LedgerStore} on the heap. The blocks live in a {@link Ledger} that outlives the store,
 * so that reopening finds them. Thread-safe: every method holds the ledger's monitor, briefly.
 */
final class MemoryLedgerStore implements LedgerStore {

  /** The blocks of one ledger and whether a store has it open; guarded by its own monitor. */
  static final class Ledger {
    private final String name;
    private final List<Block> blocks = new ArrayList<>();
    private boolean open;

    Ledger(String name) {
      this.name = name;
    }

    synchronized boolean isOpen() {
      return open;
    }
  }

  private final Ledger ledger;
  private boolean closed; // guarded by ledger

  private MemoryLedgerStore(Ledger ledger) {
    this.ledger = ledger;
  }

  static MemoryLedgerStore open(Ledger ledger) throws LedgerException {
    synchronized (ledger) {
      if (ledger.open) {
        throw new LedgerException(
            "memory ledger " + ledger.name + " is already open by another store");
      }
      ledger.open = true;
      return new MemoryLedgerStore(ledger);
    }
  }

  @Override
  public long height() {
    synchronized (ledger) {
      return ledger.blocks.size();
    }
  }

  @Override
  public void append(Block block) throws LedgerException {
    synchronized (ledger) {
      checkOpen();
      long height = ledger.blocks.size();
      if (block.number() != height) {
        throw new IllegalArgumentException(
            "block " + block.number() + " appended at height " + height + " of " + ledger.name);
      }
      ledger.blocks.add(block);
    }
  }

  @Override
  public Optional<Block> get(long number) throws LedgerException {
    if (number < 0) {
      throw new IllegalArgumentException("negative block number " + number);
    }
    synchronized (ledger) {
      checkOpen();
      return number < ledger.blocks.size()
          ? Optional.of(ledger.blocks.get((int) number))
          : Optional.empty();
    }
  }

  @Override
  public List<Block> range(long from, long toExclusive) throws LedgerException {
    if (from < 0 || toExclusive < from) {
      throw new IllegalArgumentException("bad block range [" + from + ", " + toExclusive + ")");
    }
    synchronized (ledger) {
      checkOpen();
      int size = ledger.blocks.size();
      if (from >= size) {
        return List.of();
      }
      return List.copyOf(ledger.blocks.subList((int) from, (int) Math.min(toExclusive, size)));
    }
  }

  @Override
  public void close() {
    synchronized (ledger) {
      if (!closed) {
        closed = true;
        ledger.open = false;
      }
    }
  }

  private void checkOpen() throws LedgerException {
    if (closed) {
      throw new LedgerException("memory ledger " + ledger.name + " is closed");
    }
  }

  @Override
  public String toString() {
    return "MemoryLedgerStore[" + ledger.name + "]";
  }
}
