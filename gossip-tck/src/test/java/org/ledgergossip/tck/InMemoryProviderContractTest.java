package org.ledgergossip.tck;

import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.transport.inmemory.InMemoryTransportProvider;

/** The {@code inmemory} provider is registered and well-formed. */
class InMemoryProviderContractTest extends ProviderContract<TransportProvider> {

  @Override
  protected Class<TransportProvider> spi() {
    return TransportProvider.class;
  }

  @Override
  protected String expectedName() {
    return "inmemory";
  }

  @Override
  protected Class<? extends TransportProvider> implementation() {
    return InMemoryTransportProvider.class;
  }
}
