package org.ledgergossip.core.internal.comm;

import java.util.Optional;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * A local MSP for attack scenarios: it validates like {@code validator}, presents {@code claimed}
 * as its own identity, and signs with {@code signer}'s key — so it can be an impostor (another
 * peer's identity, its own key) or an honest holder of an expired identity.
 */
final class IdentityMsp implements Msp {

  private final Msp validator;
  private final Identity claimed;
  private final IssuedIdentity signer;

  /**
   * @param validator validates remote identities and supplies the TLS material
   * @param presented the identity sent in the handshake
   * @param signer whose key signs
   */
  IdentityMsp(Msp validator, IssuedIdentity presented, IssuedIdentity signer) {
    this.validator = validator;
    this.claimed = new Presented(presented);
    this.signer = signer;
  }

  @Override
  public Identity localIdentity() {
    return claimed;
  }

  @Override
  public byte[] sign(byte[] message) {
    return signer.sign(message);
  }

  @Override
  public Identity validate(Bytes serializedIdentity) throws InvalidIdentityException {
    return validator.validate(serializedIdentity);
  }

  @Override
  public void reload() throws InvalidIdentityException {
    validator.reload();
  }

  @Override
  public Optional<TlsCredentials> tlsCredentials() {
    return validator.tlsCredentials();
  }

  @Override
  public void close() {}

  /** An issued identity as presented, without validation (it may be expired). */
  private static final class Presented implements Identity {
    private final IssuedIdentity issued;

    Presented(IssuedIdentity issued) {
      this.issued = issued;
    }

    @Override
    public String mspId() {
      return issued.mspId();
    }

    @Override
    public org.ledgergossip.api.PkiId pkiId() {
      return issued.pkiId();
    }

    @Override
    public Bytes serialized() {
      return issued.serialized();
    }

    @Override
    public java.time.Instant expiresAt() {
      return issued.certificate().getNotAfter().toInstant();
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      throw new UnsupportedOperationException("only presented, never used to verify");
    }
  }
}
