package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.Provider;

/**
 * Rules every plugin provider must follow to be found by operators: registered for {@link
 * java.util.ServiceLoader} (with {@code @AutoService}), a well-formed unique name, and an
 * availability check that never throws.
 *
 * <p>Extend it in the provider's test sources:
 *
 * <pre>{@code
 * class NettyProviderTest extends ProviderContract<TransportProvider> {
 *   protected Class<TransportProvider> spi() { return TransportProvider.class; }
 *   protected String expectedName() { return "netty"; }
 *   protected Class<? extends TransportProvider> implementation() { return NettyTransportProvider.class; }
 * }
 * }</pre>
 *
 * @param <P> the SPI's provider interface
 */
public abstract class ProviderContract<P extends Provider> {

  /** The provider interface, for example {@code TransportProvider.class}. */
  protected abstract Class<P> spi();

  /** The name operators will configure. */
  protected abstract String expectedName();

  /** The provider class under test. */
  protected abstract Class<? extends P> implementation();

  /**
   * Rule: {@code Providers.load(spi, name)} finds this very provider through the service loader.
   */
  @Test
  public void required_providerIsFoundByNameThroughServiceLoader() {
    P found = Providers.load(spi(), expectedName());
    assertThat(found).isInstanceOf(implementation());
    assertThat(found.name()).isEqualTo(expectedName());
  }

  /**
   * Rule: the name is lower case letters, digits and dashes, so it fits a config file and a CLI.
   */
  @Test
  public void required_nameIsWellFormed() {
    assertThat(expectedName()).matches("[a-z][a-z0-9-]*");
  }

  /** Rule: no other provider of the same SPI on the class path claims the same name. */
  @Test
  public void required_nameIsUniqueAmongProviders() {
    assertThat(Providers.list(spi())).filteredOn(p -> p.name().equals(expectedName())).hasSize(1);
  }

  /** Rule: asking for availability never throws, and an unavailable provider says why. */
  @Test
  public void required_availabilityIsAnsweredWithoutThrowing() {
    P provider =
        Providers.list(spi()).stream()
            .filter(implementation()::isInstance)
            .findFirst()
            .orElseThrow(() -> new AssertionError(implementation() + " is not registered"));
    assertThatCode(provider::isAvailable).doesNotThrowAnyException();
    if (!provider.isAvailable()) {
      assertThat(provider.unavailableReason()).isNotBlank();
    }
  }
}
