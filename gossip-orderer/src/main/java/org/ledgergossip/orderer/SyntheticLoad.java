package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Synthetic blocks cut at a fixed rate, each of {@code transactionsPerBlock} envelopes carrying
 * {@code transactionSize} pseudo-random bytes (signed by the orderer, so each is a well-formed
 * Fabric envelope of the channel).
 *
 * @param interval time between blocks; positive
 * @param transactionsPerBlock envelopes per block; at least 1
 * @param transactionSize bytes of data per envelope; at least 0
 */
public record SyntheticLoad(Duration interval, int transactionsPerBlock, int transactionSize) {

  /**
   * @throws IllegalArgumentException if a value is out of range
   */
  public SyntheticLoad {
    requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    if (transactionsPerBlock < 1 || transactionSize < 0) {
      throw new IllegalArgumentException(
          "need transactionsPerBlock >= 1 and transactionSize >= 0, were "
              + transactionsPerBlock
              + ", "
              + transactionSize);
    }
  }

  /** {@code blocksPerSecond} blocks a second of one envelope of {@code blockSize} bytes. */
  public static SyntheticLoad rate(double blocksPerSecond, int blockSize) {
    if (!(blocksPerSecond > 0)) {
      throw new IllegalArgumentException(
          "blocksPerSecond must be positive, was " + blocksPerSecond);
    }
    return new SyntheticLoad(
        Duration.ofNanos(Math.max(1, Math.round(1e9 / blocksPerSecond))), 1, blockSize);
  }
}
