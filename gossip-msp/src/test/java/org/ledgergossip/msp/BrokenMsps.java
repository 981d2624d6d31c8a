package org.ledgergossip.msp;

import java.time.Instant;
import java.util.Optional;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;

/** Deliberately broken decorators of a correct {@link Msp}, to prove the contract can fail. */
final class BrokenMsps {

  private BrokenMsps() {}

  /** Every identity's {@code verify} accepts any signature. */
  static Msp acceptingAnySignature(Msp msp) {
    return new Forwarding(msp) {
      @Override
      public Identity localIdentity() {
        return new AcceptingIdentity(super.localIdentity());
      }

      @Override
      public Identity validate(Bytes serialized) throws InvalidIdentityException {
        return new AcceptingIdentity(super.validate(serialized));
      }
    };
  }

  /** {@code validate} accepts an identity the delegate rejects as expired. */
  static Msp ignoringExpiry(Msp msp) {
    return new Forwarding(msp) {
      @Override
      public Identity validate(Bytes serialized) throws InvalidIdentityException {
        try {
          return super.validate(serialized);
        } catch (InvalidIdentityException e) {
          if (String.valueOf(e.getMessage()).contains("expired")) {
            return X509Identity.parse(serialized);
          }
          throw e;
        }
      }
    };
  }

  /** {@code reload} does nothing, so revocations are never seen. */
  static Msp ignoringReload(Msp msp) {
    return new Forwarding(msp) {
      @Override
      public void reload() {}
    };
  }

  private record AcceptingIdentity(Identity delegate) implements Identity {
    @Override
    public String mspId() {
      return delegate.mspId();
    }

    @Override
    public PkiId pkiId() {
      return delegate.pkiId();
    }

    @Override
    public Bytes serialized() {
      return delegate.serialized();
    }

    @Override
    public Instant expiresAt() {
      return delegate.expiresAt();
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      return true;
    }
  }

  private static class Forwarding implements Msp {
    private final Msp delegate;

    Forwarding(Msp delegate) {
      this.delegate = delegate;
    }

    @Override
    public Identity localIdentity() {
      return delegate.localIdentity();
    }

    @Override
    public byte[] sign(byte[] message) {
      return delegate.sign(message);
    }

    @Override
    public Identity validate(Bytes serialized) throws InvalidIdentityException {
      return delegate.validate(serialized);
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
}
