package org.ledgergossip.spi.election;

import org.ledgergossip.spi.Provider;

/**
 * Creates {@link ElectionStrategy} instances, one per channel. Registered with
 * {@code @AutoService(ElectionStrategyProvider.class)}; selected by {@code peer.gossip.election}.
 */
public interface ElectionStrategyProvider extends Provider {

  /**
   * Creates the strategy of one channel; it does nothing until {@link ElectionStrategy#start()}.
   */
  ElectionStrategy create(ElectionContext context);
}
