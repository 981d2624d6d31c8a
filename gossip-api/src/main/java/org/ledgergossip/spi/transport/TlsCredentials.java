package org.ledgergossip.spi.transport;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS material of a transport: this side's key and certificate chain, and the CA certificates a
 * remote's certificate must chain to (the MSP roots and intermediates of every organisation this
 * peer talks to). Client certificates are always required.
 *
 * @param privateKey the key of {@code certificateChain.get(0)}
 * @param certificateChain this side's certificate first, then its issuers; not empty
 * @param trustedCertificates CA certificates accepted for remote certificates; not empty
 */
public record TlsCredentials(
    PrivateKey privateKey,
    List<X509Certificate> certificateChain,
    List<X509Certificate> trustedCertificates) {

  /**
   * @throws IllegalArgumentException if a list is empty
   */
  public TlsCredentials {
    requireNonNull(privateKey, "privateKey");
    certificateChain = List.copyOf(certificateChain);
    trustedCertificates = List.copyOf(trustedCertificates);
    if (certificateChain.isEmpty()) {
      throw new IllegalArgumentException("certificateChain must not be empty");
    }
    if (trustedCertificates.isEmpty()) {
      throw new IllegalArgumentException("trustedCertificates must not be empty");
    }
  }

  /** This side's own certificate. */
  public X509Certificate certificate() {
    return certificateChain.get(0);
  }

  @Override
  public String toString() {
    return "TlsCredentials[subject="
        + certificate().getSubjectX500Principal()
        + ", trusted="
        + trustedCertificates.size()
        + "]";
  }
}
