package org.ledgergossip.spi;

/**
 * What every plugin provider has in common. Each SPI has a {@code *Provider} interface extending
 * this one; implementations are registered for {@link java.util.ServiceLoader} (with
 * {@code @AutoService}) and found through {@link org.ledgergossip.api.Providers}.
 *
 * <p>Providers are stateless factories: they are created by the service loader with a public
 * no-argument constructor, may be created several times, and their methods are thread-safe.
 */
public interface Provider {

  /**
   * The name operators select this provider by (for example {@code "netty"} in {@code
   * peer.gossip.transport}). Lower case letters, digits and {@code '-'}; unique per SPI.
   */
  String name();

  /**
   * Preference when no name is configured: among {@linkplain #isAvailable() available} providers
   * the highest priority wins. Production providers use 5..10; test-only providers use 0 or less.
   */
  int priority();

  /**
   * Whether this provider can work in this JVM (for example, a native library loads). Must not
   * throw. A provider that is not available is never chosen by priority, and naming it fails with
   * {@link #unavailableReason()}.
   */
  default boolean isAvailable() {
    return true;
  }

  /** Why {@link #isAvailable()} is false, for the error message; empty when available. */
  default String unavailableReason() {
    return "";
  }
}
