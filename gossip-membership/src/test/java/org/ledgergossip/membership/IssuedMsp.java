package org.ledgergossip.membership;

import java.util.Optional;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * A peer's x509 MSP that signs as an identity issued for the test (with chosen validity dates)
 * instead of its cryptogen one; validation, reload and TLS are the peer's. The issued identity must
 * be valid when this is created.
 */
final class IssuedMsp implements Msp {

  private final Msp delegate;
  private final IssuedIdentity issued;
  private final Identity local;

  IssuedMsp(Msp delegate, IssuedIdentity issued) {
    this.delegate = delegate;
    this.issued = issued;
    try {
      this.local = delegate.validate(issued.serialized());
    } catch (InvalidIdentityException e) {
      throw new IllegalArgumentException("issued identity is not valid: " + e.getMessage(), e);
    }
  }

  @Override
  public Identity localIdentity() {
    return local;
  }

  @Override
  public byte[] sign(byte[] message) {
    return issued.sign(message);
  }

  @Override
  public Identity validate(Bytes serializedIdentity) throws InvalidIdentityException {
    return delegate.validate(serializedIdentity);
  }

  @Override
  public void reload() throws InvalidIdentityException {
    delegate.reload();
  }

  @Override
  public Optional<TlsCredentials> tlsCredentials() {
    return delegate.tlsCredentials();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
