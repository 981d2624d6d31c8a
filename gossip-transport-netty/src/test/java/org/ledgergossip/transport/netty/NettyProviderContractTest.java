package org.ledgergossip.transport.netty;

import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.tck.ProviderContract;

/** The {@code netty} provider is registered with the service loader and well-formed. */
class NettyProviderContractTest extends ProviderContract<TransportProvider> {

  @Override
  protected Class<TransportProvider> spi() {
    return TransportProvider.class;
  }

  @Override
  protected String expectedName() {
    return NettyTransportProvider.NAME;
  }

  @Override
  protected Class<? extends TransportProvider> implementation() {
    return NettyTransportProvider.class;
  }
}
