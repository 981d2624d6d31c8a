package org.ledgergossip.spi.transport;

import org.ledgergossip.spi.Provider;

/**
 * Creates {@link Transport}s. Registered with {@code @AutoService(TransportProvider.class)};
 * selected by {@code peer.gossip.transport}.
 */
public interface TransportProvider extends Provider {

  /**
   * Creates a transport. It owns no listening socket until {@link Transport#listen} is called.
   *
   * @throws TransportException if the options cannot be honoured by this provider (for example TLS
   *     credentials are required but missing), with a message naming the option
   */
  Transport create(TransportOptions options) throws TransportException;
}
