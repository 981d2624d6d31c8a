package org.ledgergossip.msp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jspecify.annotations.Nullable;

/**
 * ECDSA over SHA-256 as Fabric's BCCSP does it: signatures are DER {@code SEQUENCE {INTEGER r,
 * INTEGER s}} with {@code s <= n/2} ("low-S"); signing normalizes {@code s}, verifying rejects a
 * high {@code s} (Fabric's {@code bccsp/sw/ecdsa.go} and {@code bccsp/utils/ecdsa.go}).
 *
 * <p>We are stricter than Fabric in one respect: a signature must be canonical DER with nothing
 * after it (Go's {@code asn1.Unmarshal} ignores trailing bytes). Honest signers never produce such
 * signatures, and rejecting them removes one more malleability.
 *
 * <p>The BouncyCastle provider is used as an instance, never registered in {@link
 * java.security.Security}, so this module changes nothing global. Thread-safe (stateless).
 */
final class Ecdsa {

  /** BouncyCastle, as a private provider instance. */
  static final Provider BC = new BouncyCastleProvider();

  static final String ALGORITHM = "SHA256withECDSA";

  /** The arc of the ecdsa-with-SHA* signature algorithms, 1.2.840.10045.4. */
  private static final String ECDSA_SIGNATURE_OIDS = "1.2.840.10045.4.";

  private Ecdsa() {}

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
      Signature signer = Signature.getInstance(ALGORITHM, BC);
      signer.initSign(key);
      signer.update(message);
      BigInteger[] rs = decode(signer.sign());
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
   * by {@code key}. Never throws: anything malformed is false.
   */
  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    if (!(key instanceof ECKey ec) || signature == null || message == null) {
      return false;
    }
    BigInteger[] rs = decode(signature);
    if (rs == null) {
      return false;
    }
    BigInteger n = ec.getParams().getOrder();
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || !isLowS(s, n)) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM, BC);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
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
