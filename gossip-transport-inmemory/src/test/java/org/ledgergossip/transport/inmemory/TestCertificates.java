package org.ledgergossip.transport.inmemory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * Makes X.509 test certificates with plain JDK APIs: EC P-256 keys and a minimal DER encoding of a
 * version 1 certificate (subject, issuer, validity 2020..2049, key, ECDSA-SHA256 signature), parsed
 * back with {@link CertificateFactory}.
 */
final class TestCertificates {

  /** DER of the OID 1.2.840.10045.4.3.2, ecdsa-with-SHA256. */
  private static final byte[] ECDSA_WITH_SHA256 = {
    0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02
  };

  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** A key pair and its certificate. */
  record Issued(KeyPair keys, X509Certificate certificate) {
    /** Credentials presenting this certificate and trusting {@code trusted}. */
    TlsCredentials credentials(X509Certificate... trusted) {
      return new TlsCredentials(keys.getPrivate(), List.of(certificate), List.of(trusted));
    }
  }

  private TestCertificates() {}

  /** A self-signed CA certificate for {@code CN=cn}. */
  static Issued ca(String cn) throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X500Principal name = new X500Principal("CN=" + cn);
    return new Issued(keys, certificate(name, name, keys, keys.getPrivate()));
  }

  /** A certificate for {@code CN=cn} signed by {@code issuer}. */
  static Issued issue(String cn, Issued issuer) throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X500Principal subject = new X500Principal("CN=" + cn);
    X500Principal issuerName = issuer.certificate().getSubjectX500Principal();
    return new Issued(keys, certificate(subject, issuerName, keys, issuer.keys().getPrivate()));
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate certificate(
      X500Principal subject, X500Principal issuer, KeyPair subjectKeys, PrivateKey signingKey)
      throws GeneralSecurityException {
    byte[] algorithm = tlv(0x30, ECDSA_WITH_SHA256);
    byte[] tbs =
        tlv(
            0x30,
            tlv(0x02, BigInteger.valueOf(SERIAL.incrementAndGet()).toByteArray()),
            algorithm,
            issuer.getEncoded(),
            tlv(0x30, utcTime("200101000000Z"), utcTime("491231235959Z")),
            subject.getEncoded(),
            subjectKeys.getPublic().getEncoded());
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(signingKey);
    signer.update(tbs);
    byte[] signature = signer.sign();
    byte[] bitString = new byte[signature.length + 1];
    System.arraycopy(signature, 0, bitString, 1, signature.length);
    byte[] der = tlv(0x30, tbs, algorithm, tlv(0x03, bitString));
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] utcTime(String time) {
    return tlv(0x17, time.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] len = BigInteger.valueOf(length).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
