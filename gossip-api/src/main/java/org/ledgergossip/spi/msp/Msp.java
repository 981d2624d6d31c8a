package org.ledgergossip.spi.msp;

import java.util.Optional;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.transport.TlsCredentials;

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

  /**
   * Re-reads what may change while the peer runs: CRLs and trusted CA certificates of every
   * organisation. Identities validated before stay valid for their holders; callers that cache
   * identities (the identity store) re-validate them after a reload to apply revocations.
   *
   * @throws InvalidIdentityException if the material can no longer be read, naming the file; the
   *     previous material stays in force
   */
  void reload() throws InvalidIdentityException;

  /**
   * This peer's TLS material: its TLS key and certificate ({@code tls/server.key}, {@code
   * tls/server.crt}) and the TLS CA certificates of every trusted organisation, for a transport
   * that authenticates peers. Empty if the MSP folder has no TLS material.
   */
  Optional<TlsCredentials> tlsCredentials();

  /** Releases resources (file watchers, caches). Idempotent. */
  @Override
  void close();
}
