package example.broken;

import org.junit.jupiter.api.Nested;
import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.tck.ProviderContract;

/**
 * Both broken providers are real plugins: registered with {@code @AutoService}, found by name,
 * well-formed. What is wrong with them is their transports, not their registration.
 */
class BrokenProvidersContractTest {

  @Nested
  class Reordering extends ProviderContract<TransportProvider> {
    @Override
    protected Class<TransportProvider> spi() {
      return TransportProvider.class;
    }

    @Override
    protected String expectedName() {
      return "reordering";
    }

    @Override
    protected Class<? extends TransportProvider> implementation() {
      return ReorderingTransportProvider.class;
    }
  }

  @Nested
  class SilentClose extends ProviderContract<TransportProvider> {
    @Override
    protected Class<TransportProvider> spi() {
      return TransportProvider.class;
    }

    @Override
    protected String expectedName() {
      return "silent-close";
    }

    @Override
    protected Class<? extends TransportProvider> implementation() {
      return SilentCloseTransportProvider.class;
    }
  }
}
