package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;

/**
 * The engine choice: Conscrypt where it loads, BouncyCastle on request, each verifying the other.
 */
class EcdsaEngineTest {

  private static final byte[] MESSAGE = "alive".getBytes(StandardCharsets.UTF_8);

  private final KeyPair keys = CertificateAuthority.newKeyPair();

  @Test
  void bcIsChosenWhenAskedFor() {
    assertThat(Ecdsa.chooseEngine("bc")).isSameAs(Ecdsa.BC);
    assertThat(Ecdsa.chooseEngine(" BC ")).isSameAs(Ecdsa.BC);
  }

  @Test
  void conscryptIsChosenByDefaultWhereItLoads() {
    assumeTrue(Conscrypt.isAvailable(), "Conscrypt's native library does not load here");
    assertThat(Ecdsa.chooseEngine("auto").getName()).isEqualTo("Conscrypt");
    assertThat(Ecdsa.chooseEngine("nonsense").getName()).isEqualTo("Conscrypt");
    assertThat(Ecdsa.ENGINE.getName()).isEqualTo("Conscrypt");
  }

  @Test
  void signaturesOfTheEngineVerifyOnBouncyCastle() throws Exception {
    byte[] sig = Ecdsa.sign(Ecdsa.signingKey(keys.getPrivate()), MESSAGE);
    Signature bc = Signature.getInstance(Ecdsa.ALGORITHM, Ecdsa.BC);
    bc.initVerify(keys.getPublic());
    bc.update(MESSAGE);
    assertThat(bc.verify(sig)).isTrue();
  }

  @Test
  void bouncyCastleSignaturesVerifyOnTheEngineWithATranslatedKey() throws Exception {
    Ecdsa.VerifyingKey translated = Ecdsa.verifyingKey(keys.getPublic());
    BigInteger n = ((ECPublicKey) keys.getPublic()).getParams().getOrder();
    for (int i = 0; i < 20; i++) {
      Signature bc = Signature.getInstance(Ecdsa.ALGORITHM, Ecdsa.BC);
      bc.initSign(keys.getPrivate());
      bc.update(MESSAGE);
      BigInteger[] rs = Ecdsa.decode(bc.sign());
      assertThat(rs).isNotNull();
      byte[] lowS = Ecdsa.encode(rs[0], Ecdsa.toLowS(rs[1], n));
      byte[] highS = Ecdsa.encode(rs[0], n.subtract(Ecdsa.toLowS(rs[1], n)));
      assertThat(Ecdsa.verify(translated, MESSAGE, lowS)).isTrue();
      assertThat(Ecdsa.verify(translated, MESSAGE, highS)).isFalse();
      assertThat(Ecdsa.verify(translated, "other".getBytes(StandardCharsets.UTF_8), lowS))
          .isFalse();
    }
  }

  @Test
  void certificatesVerifyOnTheEngineAndAForeignIssuerIsRefused() throws Exception {
    Instant now = Instant.now();
    CertificateAuthority root =
        CertificateAuthority.root("org1", "ca.org1", now, now.plus(Duration.ofDays(1)));
    X509Certificate cert =
        root.intermediate("org1", "ica.org1", now, now.plus(Duration.ofDays(1))).certificate();
    Ecdsa.verifyCertificate(cert, root.certificate().getPublicKey());
    assertThatThrownBy(() -> Ecdsa.verifyCertificate(cert, keys.getPublic()))
        .isInstanceOf(java.security.GeneralSecurityException.class);
  }

  @Test
  void aKeyOfAnotherPairDoesNotVerify() {
    byte[] sig = Ecdsa.sign(Ecdsa.signingKey(keys.getPrivate()), MESSAGE);
    Ecdsa.VerifyingKey other = Ecdsa.verifyingKey(CertificateAuthority.newKeyPair().getPublic());
    assertThat(Ecdsa.verify(other, MESSAGE, sig)).isFalse();
  }
}
