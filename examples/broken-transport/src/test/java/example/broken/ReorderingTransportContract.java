package example.broken;

import org.ledgergossip.spi.transport.TransportProvider;

/** The contract on {@code reordering}: frames in swapped pairs. */
final class ReorderingTransportContract extends InMemoryBasedContract {
  @Override
  TransportProvider provider() {
    return new ReorderingTransportProvider();
  }
}
