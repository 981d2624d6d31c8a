package org.ledgergossip.msp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.conscrypt.Conscrypt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECDSA over SHA-256 as Fabric's BCCSP does it: signatures are DER {@code SEQUENCE {INTEGER r,
 * INTEGER s}} with {@code s <= n/2} ("low-S"); signing normalizes {@code s}, verifying rejects a
 * high {@code s} (Fabric's {@code bccsp/sw/ecdsa.go} and {@code bccsp/utils/ecdsa.go}).
 *
 * <p>We are stricter than Fabric in one respect: a signature must be canonical DER with nothing
 * after it (Go's {@code asn1.Unmarshal} ignores trailing bytes). Honest signers never produce such
 * signatures, and rejecting them removes one more malleability.
 *
 * <p><b>Engine.</b> Signing and verifying run on Conscrypt (BoringSSL's P-256, several times faster
 * than BouncyCastle's pure-Java arithmetic) when its native library loads on this platform, else on
 * BouncyCastle. The system property {@value #ENGINE_PROPERTY} ({@code auto}, {@code conscrypt} or
 * {@code bc}) chooses explicitly; {@code conscrypt} where it cannot load falls back to BouncyCastle
 * with a warning. Keys are translated to the engine's own form once, by {@link #verifyingKey} and
 * {@link #signingKey}, so the per-call cost is the curve arithmetic alone. Both providers are
 * private instances, never registered in {@link java.security.Security}, so this module changes
 * nothing global. Thread-safe (stateless).
 */
final class Ecdsa {

  /**
   * The system property choosing the engine: {@code auto} (default), {@code conscrypt}, {@code bc}.
   */
  static final String ENGINE_PROPERTY = "ledgergossip.ecdsa.engine";

  private static final Logger log = LoggerFactory.getLogger(Ecdsa.class);

  /** BouncyCastle, as a private provider instance. */
  static final Provider BC = new BouncyCastleProvider();

  /** The provider that signs and verifies: Conscrypt if chosen and loadable, else {@link #BC}. */
  static final Provider ENGINE = chooseEngine(System.getProperty(ENGINE_PROPERTY, "auto"));

  /** True if {@link #ENGINE} is not BouncyCastle, so keys are worth translating. */
  private static final boolean NATIVE = !(ENGINE instanceof BouncyCastleProvider);

  static final String ALGORITHM = "SHA256withECDSA";

  /** The arc of the ecdsa-with-SHA* signature algorithms, 1.2.840.10045.4. */
  private static final String ECDSA_SIGNATURE_OIDS = "1.2.840.10045.4.";

  private Ecdsa() {}

  static Provider chooseEngine(String choice) {
    String wanted = choice.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals("bc")) {
      return BC;
    }
    if (!wanted.equals("auto") && !wanted.equals("conscrypt")) {
      log.warn("{}={} is not auto, conscrypt or bc; using auto", ENGINE_PROPERTY, choice);
    }
    try {
      if (Conscrypt.isAvailable()) {
        log.debug("ECDSA runs on Conscrypt {}", Conscrypt.version());
        return Conscrypt.newProvider();
      }
      (wanted.equals("conscrypt") ? log.atWarn() : log.atDebug())
          .log("Conscrypt's native library is not available here; ECDSA runs on BouncyCastle");
    } catch (LinkageError | RuntimeException e) {
      (wanted.equals("conscrypt") ? log.atWarn() : log.atDebug())
          .log("Conscrypt cannot load here ({}); ECDSA runs on BouncyCastle", e.toString());
    }
    return BC;
  }

  /**
   * A public key prepared for repeated {@link #verify(VerifyingKey, byte[], byte[])} calls: in the
   * engine's own form, with its curve order at hand (asking a native key for it is costly).
   *
   * @param key the key verification runs with
   * @param order the order of its curve, which decides what a low {@code s} is
   */
  record VerifyingKey(PublicKey key, BigInteger order) {}

  /**
   * {@code key} in the engine's own form with its curve order, for repeated verification; the key
   * itself if the engine cannot take it (verification then falls back to BouncyCastle).
   *
   * @throws IllegalArgumentException if {@code key} is not an EC key
   */
  static VerifyingKey verifyingKey(PublicKey key) {
    if (!(key instanceof ECKey ec)) {
      throw new IllegalArgumentException("not an EC public key: " + key.getAlgorithm());
    }
    BigInteger order = ec.getParams().getOrder();
    if (!NATIVE) {
      return new VerifyingKey(key, order);
    }
    try {
      return new VerifyingKey(
          KeyFactory.getInstance("EC", ENGINE)
              .generatePublic(new X509EncodedKeySpec(key.getEncoded())),
          order);
    } catch (GeneralSecurityException | RuntimeException e) {
      return new VerifyingKey(key, order);
    }
  }

  /** {@code key} in the engine's own form, for repeated {@link #sign} calls; else {@code key}. */
  static PrivateKey signingKey(PrivateKey key) {
    if (!NATIVE || key.getEncoded() == null) {
      return key;
    }
    try {
      return KeyFactory.getInstance("EC", ENGINE)
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    }
  }

  /**
   * Signs {@code message} with {@code key}: SHA-256, ECDSA, DER, low-S.
   *
   * @throws IllegalArgumentException if the key is not an EC key the provider accepts
   */
  static byte[] sign(PrivateKey key, byte[] message) {
    if (!(key instanceof ECKey ec)) {
      throw new IllegalArgumentException("not an EC private key: " + key.getAlgorithm());
    }
    try {
      BigInteger[] rs = decode(rawSign(key, message));
      if (rs == null) {
        throw new IllegalStateException("the provider produced a malformed ECDSA signature");
      }
      BigInteger n = ec.getParams().getOrder();
      return encode(rs[0], toLowS(rs[1], n));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with " + key.getAlgorithm() + " key", e);
    }
  }

  /**
   * True if {@code signature} is a canonical DER, low-S ECDSA signature of SHA-256({@code message})
   * by {@code key}. Never throws: anything malformed is false. For repeated use prefer {@link
   * #verify(VerifyingKey, byte[], byte[])} with a key prepared once.
   */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (!(key instanceof ECKey)) {
      return false;
    }
    return verify(verifyingKey(key), message, signature);
  }

  /** {@link #verify(PublicKey, byte[], byte[])} with a prepared key. Never throws. */
  static boolean verify(VerifyingKey key, byte[] message, byte[] signature) {
    if (signature == null || message == null) {
      return false;
    }
    BigInteger[] rs = decode(signature);
    if (rs == null) {
      return false;
    }
    BigInteger n = key.order();
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || !isLowS(s, n)) {
      return false;
    }
    try {
      return rawVerify(ENGINE, key.key(), message, signature);
    } catch (InvalidKeyException e) {
      try {
        return NATIVE && rawVerify(BC, key.key(), message, signature);
      } catch (GeneralSecurityException | RuntimeException again) {
        return false;
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Checks that {@code cert} was signed by {@code issuerKey}, on the engine when the certificate is
   * ECDSA-signed (the JDK's own P-256 is several times slower), else on the JDK's providers.
   *
   * @throws GeneralSecurityException if the signature does not verify or cannot be checked
   */
  static void verifyCertificate(X509Certificate cert, PublicKey issuerKey)
      throws GeneralSecurityException {
    if (NATIVE && cert.getSigAlgOID().startsWith(ECDSA_SIGNATURE_OIDS)) {
      try {
        cert.verify(issuerKey, ENGINE);
        return;
      } catch (InvalidKeyException | java.security.NoSuchAlgorithmException e) {
        // the engine does not take this key or algorithm: the JDK decides below
      }
    }
    cert.verify(issuerKey);
  }

  private static byte[] rawSign(PrivateKey key, byte[] message) throws GeneralSecurityException {
    Signature signer;
    try {
      signer = Signature.getInstance(ALGORITHM, ENGINE);
      signer.initSign(key);
    } catch (InvalidKeyException e) {
      signer = Signature.getInstance(ALGORITHM, BC);
      signer.initSign(key);
    }
    signer.update(message);
    return signer.sign();
  }

  private static boolean rawVerify(
      Provider provider, PublicKey key, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(ALGORITHM, provider);
    verifier.initVerify(key);
    verifier.update(message);
    return verifier.verify(signature);
  }

  /** True if {@code s <= n/2}. */
  static boolean isLowS(BigInteger s, BigInteger n) {
    return s.compareTo(n.shiftRight(1)) <= 0;
  }

  /** {@code s} if it is low, else {@code n - s}. */
  static BigInteger toLowS(BigInteger s, BigInteger n) {
    return isLowS(s, n) ? s : n.subtract(s);
  }

  /**
   * {@code {r, s}} of a DER signature, or null unless {@code der} is exactly the canonical DER of a
   * two-integer sequence.
   */
  static BigInteger @Nullable [] decode(byte[] der) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (!(p instanceof ASN1Sequence seq) || seq.size() != 2) {
        return null;
      }
      if (!(seq.getObjectAt(0) instanceof ASN1Integer r)
          || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
        return null;
      }
      if (!Arrays.equals(seq.getEncoded(ASN1Encoding.DER), der)) {
        return null;
      }
      return new BigInteger[] {r.getValue(), s.getValue()};
    } catch (IOException | RuntimeException malformed) {
      return null;
    }
  }

  /**
   * {@code cert} with its ECDSA signature in low-S form, as Fabric's {@code sanitizeCert} rewrites
   * every certificate it loads; {@code cert} itself if it already is, or is not ECDSA-signed.
   * Matters for the PKI-ID of the local identity, which Fabric derives from the rewritten bytes.
   *
   * @param issuerKey the key of the certificate's issuer (its curve order decides what is low)
   */
  static X509Certificate sanitize(X509Certificate cert, PublicKey issuerKey) {
    if (!(issuerKey instanceof ECKey ec) || !cert.getSigAlgOID().startsWith(ECDSA_SIGNATURE_OIDS)) {
      return cert;
    }
    BigInteger[] rs = decode(cert.getSignature());
    BigInteger n = ec.getParams().getOrder();
    if (rs == null || isLowS(rs[1], n)) {
      return cert;
    }
    try {
      Certificate asn1 = Certificate.getInstance(cert.getEncoded());
      byte[] der =
          new DERSequence(
                  new ASN1Encodable[] {
                    asn1.getTBSCertificate(),
                    asn1.getSignatureAlgorithm(),
                    new DERBitString(encode(rs[0], n.subtract(rs[1])))
                  })
              .getEncoded(ASN1Encoding.DER);
      return Pem.certificate(der);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot rewrite the signature of " + cert.getSubjectX500Principal(), e);
    }
  }

  /** The DER {@code SEQUENCE {INTEGER r, INTEGER s}}. */
  static byte[] encode(BigInteger r, BigInteger s) {
    try {
      return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)})
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an ECDSA signature failed", e);
    }
  }
}
