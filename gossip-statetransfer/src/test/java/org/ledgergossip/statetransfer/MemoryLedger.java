package org.ledgergossip.statetransfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerStore;

/**
 * A ledger in a list for tests: appends only at the height (else {@link IllegalArgumentException},
 * counted in {@link #refused}), so a ledger that reached height {@code n} with no refusal committed
 * blocks {@code 0..n-1} each exactly once, in order.
 */
final class MemoryLedger implements LedgerStore {

  private final List<Block> blocks = new ArrayList<>();
  private final List<Long> appendedAtNanos = new ArrayList<>();
  private final LongSupplier clock;
  int refused;

  MemoryLedger() {
    this(() -> 0);
  }

  /** A ledger noting the time of each append on {@code clock} (nanoseconds). */
  MemoryLedger(LongSupplier clock) {
    this.clock = clock;
  }

  /** When block {@code n} was appended, on the clock given. */
  synchronized long appendedAtNanos(long n) {
    return appendedAtNanos.get((int) n);
  }

  @Override
  public synchronized long height() {
    return blocks.size();
  }

  @Override
  public synchronized void append(Block block) {
    if (block.number() != blocks.size()) {
      refused++;
      throw new IllegalArgumentException(
          "block " + block.number() + " appended at height " + blocks.size());
    }
    blocks.add(block);
    appendedAtNanos.add(clock.getAsLong());
  }

  @Override
  public synchronized Optional<Block> get(long number) {
    if (number < 0) {
      throw new IllegalArgumentException("negative block number " + number);
    }
    return number < blocks.size() ? Optional.of(blocks.get((int) number)) : Optional.empty();
  }

  @Override
  public synchronized List<Block> range(long from, long toExclusive) {
    if (from < 0 || toExclusive < from) {
      throw new IllegalArgumentException("bad range [" + from + ", " + toExclusive + ")");
    }
    int to = (int) Math.min(toExclusive, blocks.size());
    return from >= to ? List.of() : List.copyOf(new ArrayList<>(blocks.subList((int) from, to)));
  }

  @Override
  public void close() {}
}
