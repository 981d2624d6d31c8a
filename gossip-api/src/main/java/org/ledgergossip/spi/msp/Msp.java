package org.ledgergossip.spi.msp;

import org.ledgergossip.api.Bytes;

/**
 * This peer's identity service.
 *
 * <p><b>Threading.</b> All methods are thread-safe; {@link #validate} and {@link #sign} may do
 * expensive cryptography and should not be called on an event loop for every message (the core
 * caches validated identities by PKI-ID).
 */
public interface Msp extends AutoCloseable {

  /** This peer's own identity. */
  Identity localIdentity();

  /**
   * Signs {@code message} with the local key: ECDSA P-256 over SHA-256, DER, low-S.
   *
   * @return the signature; the caller owns the array
   */
  byte[] sign(byte[] message);

  /**
   * Deserializes a marshalled {@code msp.SerializedIdentity} and validates it: known MSP id,
   * certificate chains to that organisation's CAs, within its validity dates, not revoked.
   *
   * @throws InvalidIdentityException saying why the identity is rejected
   */
  Identity validate(Bytes serializedIdentity) throws InvalidIdentityException;

  /** Releases resources (file watchers, caches). Idempotent. */
  @Override
  void close();
}
