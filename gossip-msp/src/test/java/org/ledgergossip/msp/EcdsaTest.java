package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** Fabric's ECDSA rules: low-S on signing, high-S and non-canonical DER rejected on verifying. */
class EcdsaTest {

  private static final byte[] MESSAGE = "gossip".getBytes(StandardCharsets.UTF_8);

  private final KeyPair keys = CertificateAuthority.newKeyPair();
  private final BigInteger n = ((ECPublicKey) keys.getPublic()).getParams().getOrder();

  @Test
  void everySignatureIsLowSAndVerifies() {
    for (int i = 0; i < 200; i++) {
      byte[] sig = Ecdsa.sign(keys.getPrivate(), MESSAGE);
      BigInteger[] rs = Ecdsa.decode(sig);
      assertThat(rs).isNotNull();
      assertThat(Ecdsa.isLowS(rs[1], n)).isTrue();
      assertThat(Ecdsa.verify(keys.getPublic(), MESSAGE, sig)).isTrue();
    }
  }

  @Test
  void theHighSTwinVerifiesWithPlainEcdsaButNotHere() throws Exception {
    byte[] sig = Ecdsa.sign(keys.getPrivate(), MESSAGE);
    BigInteger[] rs = Ecdsa.decode(sig);
    byte[] twin = Ecdsa.encode(rs[0], n.subtract(rs[1]));
    Signature plain = Signature.getInstance("SHA256withECDSA");
    plain.initVerify(keys.getPublic());
    plain.update(MESSAGE);
    assertThat(plain.verify(twin)).isTrue();
    assertThat(Ecdsa.verify(keys.getPublic(), MESSAGE, twin)).isFalse();
  }

  @Test
  void nonCanonicalDerIsRejected() {
    byte[] sig = Ecdsa.sign(keys.getPrivate(), MESSAGE);
    byte[] trailing = Arrays.copyOf(sig, sig.length + 1);
    byte[] longForm = new byte[sig.length + 1];
    longForm[0] = 0x30;
    longForm[1] = (byte) 0x81;
    System.arraycopy(sig, 1, longForm, 2, sig.length - 1);
    for (byte[] bad : List.of(trailing, longForm)) {
      assertThat(Ecdsa.decode(bad)).isNull();
      assertThat(Ecdsa.verify(keys.getPublic(), MESSAGE, bad)).isFalse();
    }
  }

  @Test
  void verifyOfAnythingMalformedIsFalse() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    byte[] sig = Ecdsa.sign(keys.getPrivate(), MESSAGE);
    assertThat(Ecdsa.verify(rsa.generateKeyPair().getPublic(), MESSAGE, sig)).isFalse();
    assertThat(Ecdsa.verify(keys.getPublic(), MESSAGE, new byte[0])).isFalse();
    assertThat(
            Ecdsa.verify(keys.getPublic(), MESSAGE, Ecdsa.encode(BigInteger.ZERO, BigInteger.ONE)))
        .isFalse();
    assertThat(Ecdsa.verify(keys.getPublic(), MESSAGE, Ecdsa.encode(n, BigInteger.ONE))).isFalse();
  }

  @Test
  void sanitizeTurnsAHighSCertificateSignatureLowLikeFabric() throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    CertificateAuthority ca =
        CertificateAuthority.root(
            "org1.example.com", "ca.org1.example.com", now, now.plus(Duration.ofDays(1)));
    X509Certificate lowS =
        ca.issue(
            CertificateAuthority.subject(null, null, "peer0"),
            keys.getPublic(),
            KeyUsage.digitalSignature,
            false,
            List.of(),
            now,
            now.plus(Duration.ofDays(1)));
    X509Certificate highS = withHighS(lowS);
    highS.verify(ca.certificate().getPublicKey());
    assertThat(highS).isNotEqualTo(lowS);
    assertThat(Ecdsa.sanitize(highS, ca.certificate().getPublicKey())).isEqualTo(lowS);
    assertThat(Ecdsa.sanitize(lowS, ca.certificate().getPublicKey())).isSameAs(lowS);
  }

  /** {@code cert} with its signature replaced by the high-S twin; still valid plain ECDSA. */
  static X509Certificate withHighS(X509Certificate cert) throws Exception {
    BigInteger[] rs = Ecdsa.decode(cert.getSignature());
    BigInteger order = ((ECPublicKey) cert.getPublicKey()).getParams().getOrder();
    Certificate asn1 = Certificate.getInstance(cert.getEncoded());
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(asn1.getTBSCertificate());
    v.add(asn1.getSignatureAlgorithm());
    v.add(new DERBitString(Ecdsa.encode(rs[0], order.subtract(rs[1]))));
    return Pem.certificate(new DERSequence(v).getEncoded());
  }
}
