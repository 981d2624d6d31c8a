package org.ledgergossip.msp;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * A cryptogen network generated at {@link #GENERATED} in virtual time, and MSPs on it. Time moves
 * only when a test advances {@link #time}.
 */
final class TestNetwork implements AutoCloseable {

  static final Instant GENERATED = VirtualScheduler.DEFAULT_START;

  final VirtualScheduler time = new VirtualScheduler(GENERATED);
  final CryptoLayout layout;
  private final List<Msp> msps = new ArrayList<>();

  private TestNetwork(Path dir, UnaryOperator<Cryptogen.Spec.Builder> spec) throws Exception {
    this.layout =
        Cryptogen.generate(dir, spec.apply(Cryptogen.Spec.builder().clock(time.clock())).build());
  }

  /** Two orgs of two peers and an orderer. */
  static TestNetwork generate(Path dir) throws Exception {
    return new TestNetwork(dir, b -> b);
  }

  static TestNetwork generate(Path dir, UnaryOperator<Cryptogen.Spec.Builder> spec)
      throws Exception {
    return new TestNetwork(dir, spec);
  }

  Clock clock() {
    return time.clock();
  }

  void advance(Duration d) {
    time.advanceBy(d);
  }

  /** The x509 MSP of a peer; closed by {@link #close()}. */
  Msp msp(int org, int peer) throws InvalidIdentityException {
    return track(new X509MspProvider().create(layout.mspOptions(org, peer, clock())));
  }

  Msp track(Msp msp) {
    msps.add(msp);
    return msp;
  }

  IssuedIdentity issue(int org, String cn, Instant notBefore, Instant notAfter) throws Exception {
    return Cryptogen.issueIdentity(layout.orgDir(org), layout.mspId(org), cn, notBefore, notAfter);
  }

  /** An identity of {@code org} valid from generation for a year. */
  IssuedIdentity issue(int org, String cn) throws Exception {
    return issue(org, cn, GENERATED.minusSeconds(60), GENERATED.plus(Duration.ofDays(365)));
  }

  /** Revokes the certificate of {@code serialized}, issued by a CA of {@code org}. */
  void revoke(int org, Bytes serialized) throws Exception {
    Cryptogen.revoke(layout.orgDir(org), certificateOf(serialized), time.now());
  }

  static X509Certificate certificateOf(Bytes serialized) throws Exception {
    SerializedIdentity sid = SerializedIdentity.parseFrom(serialized.toByteArray());
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(sid.getIdBytes().toByteArray()));
  }

  @Override
  public void close() {
    msps.forEach(Msp::close);
    time.close();
  }
}
