package org.ledgergossip.msp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.InvalidIdentityException.Reason;

/**
 * An X.509 identity: a marshalled {@code msp.SerializedIdentity{mspid, id_bytes = PEM
 * certificate}}, its certificate and its PKI-ID. {@link #parse} only reads the bytes; trust is
 * checked by {@link OrgTrust}. Immutable and thread-safe.
 */
final class X509Identity implements Identity {

  private final String mspId;
  private final PkiId pkiId;
  private final Bytes serialized;
  private final X509Certificate certificate;
  private final Ecdsa.VerifyingKey verifyingKey;

  private X509Identity(String mspId, PkiId pkiId, Bytes serialized, X509Certificate certificate) {
    this.mspId = mspId;
    this.pkiId = pkiId;
    this.serialized = serialized;
    this.certificate = certificate;
    this.verifyingKey = Ecdsa.verifyingKey(certificate.getPublicKey());
  }

  /**
   * Reads a marshalled {@code SerializedIdentity}: protobuf, a non-empty MSP id, {@code id_bytes}
   * exactly one PEM certificate with an EC key. Checks no signature, date or CA.
   *
   * @throws InvalidIdentityException saying what is malformed; never another exception
   */
  static X509Identity parse(Bytes serialized) throws InvalidIdentityException {
    requireNonNull(serialized, "serialized");
    SerializedIdentity sid;
    try {
      sid = SerializedIdentity.parseFrom(serialized.asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidIdentityException(
          Reason.MALFORMED,
          "malformed SerializedIdentity (" + serialized.size() + " bytes): " + e.getMessage(),
          e);
    }
    String mspId = sid.getMspid();
    if (mspId.isEmpty()) {
      throw new InvalidIdentityException(
          Reason.MALFORMED,
          "malformed SerializedIdentity (" + serialized.size() + " bytes): empty mspid");
    }
    byte[] idBytes = sid.getIdBytes().toByteArray();
    if (idBytes.length == 0) {
      throw new InvalidIdentityException(
          Reason.MALFORMED, "malformed identity of '" + mspId + "': empty id_bytes");
    }
    X509Certificate cert;
    try {
      cert = Pem.certificate(Pem.strictCertificateDer(idBytes));
    } catch (CertificateException | RuntimeException e) {
      throw new InvalidIdentityException(
          Reason.MALFORMED,
          "malformed certificate in identity of '" + mspId + "': " + e.getMessage(),
          e);
    }
    PublicKey key = cert.getPublicKey();
    if (!(key instanceof ECPublicKey)) {
      throw new InvalidIdentityException(
          Reason.MALFORMED,
          "identity of '"
              + mspId
              + "' ("
              + cert.getSubjectX500Principal()
              + ") has a "
              + key.getAlgorithm()
              + " key; only ECDSA keys are supported");
    }
    return new X509Identity(mspId, pkiIdOf(mspId, idBytes), serialized, cert);
  }

  /** Marshals {@code SerializedIdentity{mspid, id_bytes = canonical PEM of cert}}. */
  static Bytes serialize(String mspId, X509Certificate cert) {
    return Bytes.copyOf(
        SerializedIdentity.newBuilder()
            .setMspid(mspId)
            .setIdBytes(ByteString.copyFrom(Pem.encode(cert)))
            .build()
            .toByteArray());
  }

  /**
   * Fabric's PKI-ID: {@code SHA-256(UTF-8(mspId) ‖ idBytes)} ({@code internal/peer/gossip/mcs.go}).
   */
  static PkiId pkiIdOf(String mspId, byte[] idBytes) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(mspId.getBytes(StandardCharsets.UTF_8));
      sha256.update(idBytes);
      return PkiId.of(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  X509Certificate certificate() {
    return certificate;
  }

  Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  @Override
  public String mspId() {
    return mspId;
  }

  @Override
  public PkiId pkiId() {
    return pkiId;
  }

  @Override
  public Bytes serialized() {
    return serialized;
  }

  @Override
  public Instant expiresAt() {
    return certificate.getNotAfter().toInstant();
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    return Ecdsa.verify(verifyingKey, message, signature);
  }

  /** A short description for messages: MSP id, subject and serial number. */
  String describe() {
    return "'"
        + mspId
        + "' identity "
        + certificate.getSubjectX500Principal().getName()
        + " (serial "
        + certificate.getSerialNumber().toString(16)
        + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof X509Identity other && serialized.equals(other.serialized);
  }

  @Override
  public int hashCode() {
    return serialized.hashCode();
  }

  @Override
  public String toString() {
    return "X509Identity["
        + mspId
        + ", "
        + certificate.getSubjectX500Principal()
        + ", pkiId="
        + pkiId
        + "]";
  }
}
