package org.ledgergossip.msp;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;

/**
 * A certificate and its private key made by {@link Cryptogen} outside the MSP folders, for tests
 * and tools: for example an already expired identity of a trusted organisation, or one from a CA no
 * organisation trusts. Immutable and thread-safe; components are never null.
 *
 * @param mspId the MSP id the identity claims
 * @param certificate its certificate
 * @param privateKey the certificate's EC private key
 */
public record IssuedIdentity(String mspId, X509Certificate certificate, PrivateKey privateKey) {

  /**
   * Checks that no component is null.
   *
   * @throws NullPointerException if one is
   */
  public IssuedIdentity {
    requireNonNull(mspId, "mspId");
    requireNonNull(certificate, "certificate");
    requireNonNull(privateKey, "privateKey");
  }

  /** The certificate as PEM, exactly as it travels in {@code id_bytes}. */
  public Bytes certificatePem() {
    return Bytes.copyOf(Pem.encode(certificate));
  }

  /** The marshalled {@code msp.SerializedIdentity{mspid, id_bytes}}. */
  public Bytes serialized() {
    return X509Identity.serialize(mspId, certificate);
  }

  /** Fabric's PKI-ID of this identity: {@code SHA-256(mspid ‖ id_bytes)}. */
  public PkiId pkiId() {
    return X509Identity.pkiIdOf(mspId, Pem.encode(certificate));
  }

  /** Signs {@code message} as this identity: ECDSA over SHA-256, DER, low-S. */
  public byte[] sign(byte[] message) {
    return Ecdsa.sign(privateKey, requireNonNull(message, "message"));
  }

  @Override
  public String toString() {
    return "IssuedIdentity[" + mspId + ", " + certificate.getSubjectX500Principal() + "]";
  }
}
