package org.ledgergossip.bench;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.Msp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * ECDSA P-256 sign and verify of a 1 KiB message through the x509 MSP (BouncyCastle), and the same
 * verification through the JDK's SunEC provider for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmark {

  private BenchPki pki;
  private Msp msp;
  private Identity self;
  private byte[] message;
  private byte[] signature;
  private PublicKey publicKey;

  /** Generates the PKI and one signature. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pki = new BenchPki();
    msp = pki.msp(1, 0);
    self = msp.validate(msp.localIdentity().serialized());
    message = new byte[1024];
    new Random(1).nextBytes(message);
    signature = msp.sign(message);
    publicKey =
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new java.io.ByteArrayInputStream(
                    org.hyperledger.fabric.protos.msp.SerializedIdentity.parseFrom(
                            self.serialized().toByteArray())
                        .getIdBytes()
                        .toByteArray()))
            .getPublicKey();
  }

  /** Releases the PKI. */
  @TearDown(Level.Trial)
  public void tearDown() {
    msp.close();
    pki.close();
  }

  /** Signs 1 KiB with the local key (low-S). */
  @Benchmark
  public byte[] sign() {
    return msp.sign(message);
  }

  /**
   * Verifies a signature over 1 KiB through the x509 MSP (Conscrypt where it loads; run with {@code
   * -jvmArgsAppend -Dledgergossip.ecdsa.engine=bc} for BouncyCastle).
   */
  @Benchmark
  public boolean verify() {
    return self.verify(message, signature);
  }

  /** The same verification through the JDK's default provider (SunEC), for comparison. */
  @Benchmark
  public boolean verifySunEc() throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initVerify(publicKey);
    s.update(message);
    return s.verify(signature);
  }
}
