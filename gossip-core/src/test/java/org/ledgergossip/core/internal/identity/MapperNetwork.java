package org.ledgergossip.core.internal.identity;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * A cryptogen network (two orgs of two peers) generated at {@link #GENERATED} in virtual time, and
 * x509 MSPs on it. Time moves only when a test advances {@link #time}.
 */
final class MapperNetwork implements AutoCloseable {

  static final Instant GENERATED = VirtualScheduler.DEFAULT_START;

  final VirtualScheduler time = new VirtualScheduler(GENERATED);
  final CryptoLayout layout;
  private final List<Msp> msps = new ArrayList<>();

  MapperNetwork(Path dir) throws Exception {
    this.layout = Cryptogen.generate(dir, Cryptogen.Spec.builder().clock(time.clock()).build());
  }

  void advance(Duration d) {
    time.advanceBy(d);
  }

  /** The x509 MSP of a peer; closed by {@link #close()}. */
  Msp msp(int org, int peer) throws InvalidIdentityException {
    Msp msp = new X509MspProvider().create(layout.mspOptions(org, peer, time.clock()));
    msps.add(msp);
    return msp;
  }

  IssuedIdentity issue(int org, String cn, Instant notBefore, Instant notAfter) throws Exception {
    return Cryptogen.issueIdentity(layout.orgDir(org), layout.mspId(org), cn, notBefore, notAfter);
  }

  /** Revokes the certificate of {@code serialized}, issued by a CA of {@code org}. */
  void revoke(int org, Bytes serialized) throws Exception {
    SerializedIdentity sid = SerializedIdentity.parseFrom(serialized.toByteArray());
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(sid.getIdBytes().toByteArray()));
    Cryptogen.revoke(layout.orgDir(org), cert, time.now());
  }

  /**
   * {@code msp}, except that an identity it validated once is accepted again after it expired: an
   * MSP that lets expired identities through, for checking that the mapper refuses them itself.
   */
  static Msp ignoringExpiry(Msp msp) {
    Map<Bytes, Identity> seen = new ConcurrentHashMap<>();
    return new Msp() {
      @Override
      public Identity localIdentity() {
        return msp.localIdentity();
      }

      @Override
      public byte[] sign(byte[] message) {
        return msp.sign(message);
      }

      @Override
      public Identity validate(Bytes serialized) throws InvalidIdentityException {
        try {
          Identity id = msp.validate(serialized);
          seen.put(serialized, id);
          return id;
        } catch (InvalidIdentityException e) {
          Identity known = seen.get(serialized);
          if (known != null && String.valueOf(e.getMessage()).contains("expired")) {
            return known;
          }
          throw e;
        }
      }

      @Override
      public void reload() throws InvalidIdentityException {
        msp.reload();
      }

      @Override
      public Optional<TlsCredentials> tlsCredentials() {
        return msp.tlsCredentials();
      }

      @Override
      public void close() {
        msp.close();
      }
    };
  }

  @Override
  public void close() {
    msps.forEach(Msp::close);
    time.close();
  }
}
