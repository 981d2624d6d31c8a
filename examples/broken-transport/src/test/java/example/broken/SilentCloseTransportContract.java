package example.broken;

import org.ledgergossip.spi.transport.TransportProvider;

/** The contract on {@code silent-close}: no handler ever sees a close. */
final class SilentCloseTransportContract extends InMemoryBasedContract {
  @Override
  TransportProvider provider() {
    return new SilentCloseTransportProvider();
  }
}
