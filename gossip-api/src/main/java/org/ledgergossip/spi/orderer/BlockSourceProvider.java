package org.ledgergossip.spi.orderer;

import org.ledgergossip.spi.Provider;

/**
 * Creates {@link BlockSource}s. Registered with {@code @AutoService(BlockSourceProvider.class)};
 * selected by {@code peer.blockSource}.
 */
public interface BlockSourceProvider extends Provider {

  /**
   * Creates a block source; it connects only when {@link BlockSource#subscribe} is called.
   *
   * @throws IllegalArgumentException if the options are unusable, naming the option
   */
  BlockSource create(BlockSourceOptions options);
}
