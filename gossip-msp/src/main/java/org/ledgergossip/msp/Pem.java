package org.ledgergossip.msp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM and DER parsing of certificates, CRLs and EC private keys with the JDK's own types (so that a
 * TLS stack gets ordinary JDK objects), and the canonical PEM encoding Go's {@code
 * pem.EncodeToMemory} writes. Thread-safe (stateless).
 */
final class Pem {

  static final String CERTIFICATE = "CERTIFICATE";
  static final String X509_CRL = "X509 CRL";
  static final String PRIVATE_KEY = "PRIVATE KEY";
  static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";

  private static final String BEGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  private static final String END_CERTIFICATE = "-----END CERTIFICATE-----";

  private Pem() {}

  /** The PEM blocks of {@code text}; text outside blocks is ignored. */
  static List<PemObject> blocks(byte[] text) throws IOException {
    List<PemObject> out = new ArrayList<>();
    try (PemReader reader =
        new PemReader(new StringReader(new String(text, StandardCharsets.US_ASCII)))) {
      for (PemObject o = reader.readPemObject(); o != null; o = reader.readPemObject()) {
        out.add(o);
      }
    } catch (RuntimeException malformed) {
      throw new IOException("malformed PEM: " + malformed.getMessage(), malformed);
    }
    return out;
  }

  /** Parses one DER certificate; the DER must hold nothing else. */
  static X509Certificate certificate(byte[] der) throws CertificateException {
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    if (!Arrays.equals(cert.getEncoded(), der)) {
      throw new CertificateException("trailing or non-canonical bytes after the certificate");
    }
    return cert;
  }

  /** Parses one DER CRL. */
  static X509CRL crl(byte[] der) throws CRLException, CertificateException {
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }

  /** Parses a PKCS#8 ({@code PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) EC key. */
  static PrivateKey ecPrivateKey(PemObject block) throws GeneralSecurityException {
    byte[] pkcs8;
    switch (block.getType()) {
      case PRIVATE_KEY -> pkcs8 = block.getContent();
      case EC_PRIVATE_KEY -> {
        try {
          ECPrivateKey sec1 =
              ECPrivateKey.getInstance(ASN1Sequence.getInstance(block.getContent()));
          if (sec1.getParametersObject() == null) {
            throw new GeneralSecurityException("EC PRIVATE KEY without curve parameters");
          }
          pkcs8 =
              new PrivateKeyInfo(
                      new AlgorithmIdentifier(
                          X9ObjectIdentifiers.id_ecPublicKey, sec1.getParametersObject()),
                      sec1)
                  .getEncoded();
        } catch (IOException | RuntimeException e) {
          throw new GeneralSecurityException("malformed EC PRIVATE KEY: " + e.getMessage(), e);
        }
      }
      default -> throw new GeneralSecurityException("PEM type " + block.getType() + " is no key");
    }
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  /** The certificates of every {@code CERTIFICATE} block of a file. */
  static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
    List<X509Certificate> out = new ArrayList<>();
    for (PemObject block : blocks(Files.readAllBytes(file))) {
      if (block.getType().equals(CERTIFICATE)) {
        out.add(certificate(block.getContent()));
      }
    }
    return out;
  }

  /**
   * The DER inside {@code pem}, which must be exactly one {@code CERTIFICATE} block, optionally
   * followed by one line break: what Fabric writes as {@code id_bytes}. Anything else (text around
   * it, headers, a second block) is refused, so that one certificate has one PKI-ID.
   *
   * @throws CertificateException saying what is wrong
   */
  static byte[] strictCertificateDer(byte[] pem) throws CertificateException {
    for (int i = 0; i < pem.length; i++) {
      if (pem[i] < 0) {
        throw new CertificateException("id_bytes is not ASCII (byte " + i + ")");
      }
    }
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.startsWith(BEGIN_CERTIFICATE)) {
      throw new CertificateException("id_bytes does not start with " + BEGIN_CERTIFICATE);
    }
    int end = text.indexOf(END_CERTIFICATE);
    if (end < 0) {
      throw new CertificateException("id_bytes has no " + END_CERTIFICATE + " line");
    }
    String tail = text.substring(end + END_CERTIFICATE.length());
    if (!tail.isEmpty() && !tail.equals("\n") && !tail.equals("\r\n")) {
      throw new CertificateException("id_bytes has trailing bytes after the certificate");
    }
    String body = text.substring(BEGIN_CERTIFICATE.length(), end).replaceAll("[\r\n]", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new CertificateException("id_bytes is not base64: " + e.getMessage(), e);
    }
  }

  /** Go's {@code pem.EncodeToMemory}: 64-character lines, LF line ends, a final LF. */
  static byte[] encode(String type, byte[] der) {
    String b64 = Base64.getEncoder().encodeToString(der);
    StringBuilder sb = new StringBuilder(b64.length() + b64.length() / 64 + 64);
    sb.append("-----BEGIN ").append(type).append("-----\n");
    for (int i = 0; i < b64.length(); i += 64) {
      sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
    }
    sb.append("-----END ").append(type).append("-----\n");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The canonical PEM of {@code cert}. */
  static byte[] encode(X509Certificate cert) {
    try {
      return encode(CERTIFICATE, cert.getEncoded());
    } catch (CertificateException e) {
      throw new IllegalStateException(
          "cannot encode certificate " + cert.getSubjectX500Principal());
    }
  }
}
