package org.ledgergossip.spi.msp;

import java.time.Instant;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;

/**
 * A validated identity of some peer or orderer: it chained to a trusted CA of {@link #mspId()} when
 * {@link Msp#validate} returned it. Immutable and thread-safe.
 */
public interface Identity {

  /** The organisation's MSP id. */
  String mspId();

  /** {@code SHA-256(mspId ‖ certificate bytes)}, as Fabric computes it. */
  PkiId pkiId();

  /** The marshalled {@code msp.SerializedIdentity} this identity was read from. */
  Bytes serialized();

  /** When the certificate expires; the identity is rejected from then on. */
  Instant expiresAt();

  /**
   * Verifies {@code signature} (ECDSA, DER, over SHA-256 of {@code message}) by this identity's
   * key. Never throws for a malformed signature: returns false.
   */
  boolean verify(byte[] message, byte[] signature);
}
