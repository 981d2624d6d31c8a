package org.ledgergossip.api;

/**
 * No provider matched a lookup of {@link Providers}. The message names the SPI and the requested
 * name, and lists every provider that was found with its priority and availability.
 */
public final class ProviderNotFoundException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message the lookup, and what was found instead
   */
  public ProviderNotFoundException(String message) {
    super(message);
  }
}
