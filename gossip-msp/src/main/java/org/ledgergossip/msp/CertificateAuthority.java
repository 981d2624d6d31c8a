package org.ledgergossip.msp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.util.IPAddress;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.msp.InvalidIdentityException;

/**
 * A certificate authority of cryptogen: an EC P-256 key and its certificate, issuing certificates
 * and CRLs shaped like those Fabric's {@code internal/cryptogen/ca} makes with Go's {@code
 * crypto/x509} (basic constraints and key usage critical, subject key identifier = SHA-256 of the
 * public point on CAs, authority key identifier on issued certificates, low-S ECDSA-SHA256
 * signatures). Immutable and thread-safe.
 */
final class CertificateAuthority {

  static final String KEY_FILE = "priv_sk";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final PrivateKey key;
  private final X509Certificate certificate;

  CertificateAuthority(String name, PrivateKey key, X509Certificate certificate) {
    this.name = name;
    this.key = key;
    this.certificate = certificate;
  }

  /** A new EC P-256 key pair. */
  static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is missing from this JVM", e);
    }
  }

  /** Cryptogen's subject: C=US, ST=California, L=San Francisco, [O=org], [OU=ou], CN=cn. */
  static X500Name subject(@Nullable String org, @Nullable String ou, String cn) {
    X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
    b.addRDN(BCStyle.C, "US").addRDN(BCStyle.ST, "California").addRDN(BCStyle.L, "San Francisco");
    if (org != null) {
      b.addRDN(BCStyle.O, org);
    }
    if (ou != null) {
      b.addRDN(BCStyle.OU, ou);
    }
    return b.addRDN(BCStyle.CN, cn).build();
  }

  /** A self-signed root CA named {@code cn} of organisation {@code org}. */
  static CertificateAuthority root(String org, String cn, Instant notBefore, Instant notAfter) {
    KeyPair keys = newKeyPair();
    X500Name subject = subject(org, null, cn);
    X509Certificate cert =
        build(
            subject,
            keys.getPrivate(),
            null,
            subject,
            keys.getPublic(),
            notBefore,
            notAfter,
            ca(keys.getPublic()));
    return new CertificateAuthority(cn, keys.getPrivate(), cert);
  }

  /** An intermediate CA named {@code cn}, signed by this CA. */
  CertificateAuthority intermediate(String org, String cn, Instant notBefore, Instant notAfter) {
    KeyPair keys = newKeyPair();
    X509Certificate cert =
        build(
            issuerName(),
            key,
            ski(certificate.getPublicKey()),
            subject(org, null, cn),
            keys.getPublic(),
            notBefore,
            notAfter,
            ca(keys.getPublic()));
    return new CertificateAuthority(cn, keys.getPrivate(), cert);
  }

  /** The extensions of a CA certificate, as cryptogen's {@code NewCA} sets them. */
  private static List<Extension> ca(PublicKey key) {
    return List.of(
        ext(Extension.basicConstraints, true, new BasicConstraints(true)),
        ext(
            Extension.keyUsage,
            true,
            new KeyUsage(
                KeyUsage.digitalSignature
                    | KeyUsage.keyEncipherment
                    | KeyUsage.keyCertSign
                    | KeyUsage.cRLSign)),
        ext(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth})),
        ext(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(ski(key))));
  }

  /**
   * Issues an end-entity certificate (basic constraints CA=false).
   *
   * @param keyUsage bits of {@link KeyUsage}
   * @param serverAndClientAuth whether to add the TLS extended key usages
   * @param sans DNS names and IP addresses
   */
  X509Certificate issue(
      X500Name subject,
      PublicKey publicKey,
      int keyUsage,
      boolean serverAndClientAuth,
      List<String> sans,
      Instant notBefore,
      Instant notAfter) {
    List<Extension> exts = new ArrayList<>();
    exts.add(ext(Extension.basicConstraints, true, new BasicConstraints(false)));
    exts.add(ext(Extension.keyUsage, true, new KeyUsage(keyUsage)));
    if (serverAndClientAuth) {
      exts.add(
          ext(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(
                  new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                  })));
    }
    if (!sans.isEmpty()) {
      GeneralName[] names =
          sans.stream()
              .map(
                  s ->
                      IPAddress.isValid(s)
                          ? new GeneralName(GeneralName.iPAddress, s)
                          : new GeneralName(GeneralName.dNSName, s))
              .toArray(GeneralName[]::new);
      exts.add(ext(Extension.subjectAlternativeName, false, new GeneralNames(names)));
    }
    return build(
        issuerName(),
        key,
        ski(certificate.getPublicKey()),
        subject,
        publicKey,
        notBefore,
        notAfter,
        exts);
  }

  /** A CRL of this CA revoking {@code revoked} (serial → revocation time). */
  X509CRL crl(
      Map<BigInteger, Instant> revoked, Instant thisUpdate, Instant nextUpdate, long number) {
    try {
      X509v2CRLBuilder b = new X509v2CRLBuilder(issuerName(), Date.from(thisUpdate));
      b.setNextUpdate(Date.from(nextUpdate));
      revoked.forEach((serial, at) -> b.addCRLEntry(serial, Date.from(at), 0));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(ski(certificate.getPublicKey())));
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      return Pem.crl(b.build(new LowSSigner(key)).getEncoded());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a CRL of " + name, e);
    }
  }

  String name() {
    return name;
  }

  X509Certificate certificate() {
    return certificate;
  }

  PrivateKey key() {
    return key;
  }

  /** Writes {@code <name>-cert.pem} and {@code priv_sk} into {@code dir}, as cryptogen does. */
  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + "-cert.pem"), Pem.encode(certificate));
    Files.write(dir.resolve(KEY_FILE), Pem.encode(Pem.PRIVATE_KEY, key.getEncoded()));
  }

  /**
   * Reads a CA written by {@link #write} (or by Fabric's cryptogen): the {@code *-cert.pem} file
   * and the key of {@code dir}.
   */
  static CertificateAuthority read(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      Path certFile =
          files
              .filter(p -> p.getFileName().toString().endsWith("-cert.pem"))
              .findFirst()
              .orElseThrow(() -> new IOException("no *-cert.pem in " + dir));
      String file = certFile.getFileName().toString();
      X509Certificate cert = MspFolder.certificatesOf(certFile).get(0).value();
      PrivateKey key = MspFolder.privateKeyOf(dir.resolve(KEY_FILE));
      return new CertificateAuthority(
          file.substring(0, file.length() - "-cert.pem".length()), key, cert);
    } catch (InvalidIdentityException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** SHA-256 of the uncompressed public point, as cryptogen's {@code computeSKI}. */
  static byte[] ski(PublicKey key) {
    try {
      byte[] point =
          SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
      return MessageDigest.getInstance("SHA-256").digest(point);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private X500Name issuerName() {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  private static X509Certificate build(
      X500Name issuer,
      PrivateKey signingKey,
      byte @Nullable [] issuerSki,
      X500Name subject,
      PublicKey publicKey,
      Instant notBefore,
      Instant notAfter,
      List<Extension> extensions) {
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(128, RANDOM),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              publicKey);
      for (Extension e : extensions) {
        b.addExtension(e);
      }
      if (issuerSki != null) {
        b.addExtension(
            Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(issuerSki));
      }
      return Pem.certificate(b.build(new LowSSigner(signingKey)).getEncoded());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a certificate for " + subject, e);
    }
  }

  private static Extension ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Object value) {
    try {
      return new Extension(oid, critical, value.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode extension " + oid, e);
    }
  }

  /** BouncyCastle's signer interface over {@link Ecdsa#sign}: ECDSA-SHA256, low-S. */
  private static final class LowSSigner implements ContentSigner {
    private final PrivateKey key;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LowSSigner(PrivateKey key) {
      this.key = key;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    }

    @Override
    public OutputStream getOutputStream() {
      return buffer;
    }

    @Override
    public byte[] getSignature() {
      return Ecdsa.sign(key, buffer.toByteArray());
    }
  }
}
