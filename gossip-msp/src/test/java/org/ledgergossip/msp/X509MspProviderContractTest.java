package org.ledgergossip.msp;

import org.ledgergossip.spi.msp.MspProvider;
import org.ledgergossip.tck.ProviderContract;

/** The {@code x509} provider is registered and well-formed. */
class X509MspProviderContractTest extends ProviderContract<MspProvider> {

  @Override
  protected Class<MspProvider> spi() {
    return MspProvider.class;
  }

  @Override
  protected String expectedName() {
    return "x509";
  }

  @Override
  protected Class<? extends MspProvider> implementation() {
    return X509MspProvider.class;
  }
}
