package org.ledgergossip.orderer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.orderer.BlockSourceProvider;
import org.ledgergossip.tck.ProviderContract;

/** Both block sources are registered and well-formed; {@code deliver} is the default. */
class BlockSourceProviderContractTest {

  @Test
  void deliverIsTheDefaultBlockSource() {
    assertThat(Providers.load(BlockSourceProvider.class))
        .isInstanceOf(DeliverBlockSourceProvider.class);
  }

  @Nested
  class Deliver extends ProviderContract<BlockSourceProvider> {
    @Override
    protected Class<BlockSourceProvider> spi() {
      return BlockSourceProvider.class;
    }

    @Override
    protected String expectedName() {
      return "deliver";
    }

    @Override
    protected Class<? extends BlockSourceProvider> implementation() {
      return DeliverBlockSourceProvider.class;
    }
  }

  @Nested
  class Emulator extends ProviderContract<BlockSourceProvider> {
    @Override
    protected Class<BlockSourceProvider> spi() {
      return BlockSourceProvider.class;
    }

    @Override
    protected String expectedName() {
      return "emulator";
    }

    @Override
    protected Class<? extends BlockSourceProvider> implementation() {
      return EmulatorBlockSourceProvider.class;
    }
  }
}
