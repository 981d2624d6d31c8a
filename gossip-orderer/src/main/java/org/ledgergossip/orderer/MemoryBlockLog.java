package org.ledgergossip.orderer;

import java.util.Optional;
import org.ledgergossip.api.Block;

/**
 * The newest {@code capacity} blocks in memory, in a ring; older ones are dropped and can no longer
 * be delivered. Thread-safe (synchronized).
 */
final class MemoryBlockLog implements BlockLog {

  private final Block[] ring;
  private long height;

  MemoryBlockLog(int capacity) {
    this.ring = new Block[capacity];
  }

  @Override
  public synchronized long height() {
    return height;
  }

  @Override
  public synchronized long oldest() {
    return Math.max(0, height - ring.length);
  }

  @Override
  public synchronized void append(Block block) {
    if (block.number() != height) {
      throw new IllegalArgumentException(
          "block " + block.number() + " appended at height " + height);
    }
    ring[(int) (height % ring.length)] = block;
    height++;
  }

  @Override
  public synchronized Optional<Block> get(long number) {
    if (number < oldest() || number >= height) {
      return Optional.empty();
    }
    return Optional.of(ring[(int) (number % ring.length)]);
  }

  @Override
  public void close() {}
}
