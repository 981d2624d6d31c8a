package org.ledgergossip.transport.netty;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * Test certificates made with BouncyCastle: a CA, leaf certificates for TLS client and server use
 * with SAN {@code 127.0.0.1} and {@code localhost}, expired ones, and foreign CAs. EC P-256 keys,
 * ECDSA-SHA256 signatures, signed with the JDK's providers. Thread-safe.
 */
final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A key pair and its certificate. */
  record Issued(KeyPair keys, X509Certificate certificate) {}

  private final Issued ca;

  private TestPki(Issued ca) {
    this.ca = ca;
  }

  /** A new PKI with a self-signed CA {@code CN=name}. */
  static TestPki create(String name) {
    try {
      KeyPair keys = newKeyPair();
      Instant now = Instant.now();
      X500Name subject = new X500Name("CN=" + name + ",O=ledgergossip tests");
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              date(now.minus(Duration.ofDays(1))),
              date(now.plus(Duration.ofDays(365))),
              subject,
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new TestPki(new Issued(keys, sign(b, keys)));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot make test CA " + name, e);
    }
  }

  /** The CA certificate. */
  X509Certificate caCertificate() {
    return ca.certificate();
  }

  /** A leaf valid from yesterday for a year, for TLS client and server, SAN 127.0.0.1/localhost. */
  Issued leaf(String cn) {
    Instant now = Instant.now();
    return issue(cn, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true);
  }

  /** A valid leaf whose only subject alternative name is {@code elsewhere.example.org}. */
  Issued leafForAnotherHost(String cn) {
    Instant now = Instant.now();
    return issue(cn, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), false);
  }

  /** A leaf that expired yesterday. */
  Issued expiredLeaf(String cn) {
    Instant now = Instant.now();
    return issue(cn, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), true);
  }

  /** Credentials presenting a new leaf {@code cn} and trusting this CA. */
  TlsCredentials credentials(String cn) {
    return credentials(leaf(cn));
  }

  /** Credentials presenting {@code leaf} and trusting this CA. */
  TlsCredentials credentials(Issued leaf) {
    return new TlsCredentials(
        leaf.keys().getPrivate(),
        List.of(leaf.certificate(), ca.certificate()),
        List.of(ca.certificate()));
  }

  /** Credentials presenting {@code leaf} (of any PKI) and trusting this CA. */
  TlsCredentials trusting(Issued leaf, X509Certificate issuer) {
    return new TlsCredentials(
        leaf.keys().getPrivate(), List.of(leaf.certificate(), issuer), List.of(ca.certificate()));
  }

  private Issued issue(String cn, Instant notBefore, Instant notAfter, boolean loopback) {
    try {
      KeyPair keys = newKeyPair();
      X509Certificate issuer = ca.certificate();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              serial(),
              date(notBefore),
              date(notAfter),
              new javax.security.auth.x500.X500Principal("CN=" + cn + ",O=ledgergossip tests"),
              keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              loopback
                  ? new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")
                  }
                  : new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "elsewhere.example.org")
                  }));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
      return new Issued(keys, sign(b, ca.keys()));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue test certificate " + cn, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws OperatorCreationException, java.security.cert.CertificateException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  @SuppressWarnings("JavaUtilDate") // BouncyCastle's builder takes java.util.Date
  private static Date date(Instant instant) {
    return Date.from(instant);
  }
}
