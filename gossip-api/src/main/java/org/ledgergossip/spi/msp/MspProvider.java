package org.ledgergossip.spi.msp;

import org.ledgergossip.spi.Provider;

/**
 * Creates {@link Msp}s. Registered with {@code @AutoService(MspProvider.class)}; selected by {@code
 * peer.gossip.msp}.
 */
public interface MspProvider extends Provider {

  /**
   * Loads the local identity and the trusted organisations.
   *
   * @throws InvalidIdentityException if the local material is missing or invalid, naming the file
   */
  Msp create(MspOptions options) throws InvalidIdentityException;
}
