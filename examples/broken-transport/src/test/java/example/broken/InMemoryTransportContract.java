package example.broken;

import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.transport.inmemory.InMemoryTransportProvider;

/** The control: the same contract, on the unbroken {@code inmemory} provider. */
final class InMemoryTransportContract extends InMemoryBasedContract {
  @Override
  TransportProvider provider() {
    return new InMemoryTransportProvider();
  }
}
