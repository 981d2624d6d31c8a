package org.ledgergossip.election;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.tck.ProviderContract;

/** Both providers are registered and found by name; {@code dynamic} is the default. */
class ElectionProvidersTest {

  @Test
  void dynamicIsChosenWhenNoNameIsConfigured() {
    assertThat(Providers.load(ElectionStrategyProvider.class))
        .isInstanceOf(DynamicElectionProvider.class);
  }

  @Nested
  class Static extends ProviderContract<ElectionStrategyProvider> {
    @Override
    protected Class<ElectionStrategyProvider> spi() {
      return ElectionStrategyProvider.class;
    }

    @Override
    protected String expectedName() {
      return "static";
    }

    @Override
    protected Class<? extends ElectionStrategyProvider> implementation() {
      return StaticElectionProvider.class;
    }
  }

  @Nested
  class Dynamic extends ProviderContract<ElectionStrategyProvider> {
    @Override
    protected Class<ElectionStrategyProvider> spi() {
      return ElectionStrategyProvider.class;
    }

    @Override
    protected String expectedName() {
      return "dynamic";
    }

    @Override
    protected Class<? extends ElectionStrategyProvider> implementation() {
      return DynamicElectionProvider.class;
    }
  }
}
