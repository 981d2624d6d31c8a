package org.ledgergossip.transport.inmemory;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * The emulated mutual-TLS handshake of the in-memory transport: both sides present their
 * certificate, and each must be signed by one of the other side's trusted certificates whose
 * subject is the certificate's issuer. Validity dates and chains longer than one link are not
 * checked. Stateless.
 */
final class TlsHandshake {

  private TlsHandshake() {}

  /**
   * Why a dial between these credentials fails, or null if it succeeds.
   *
   * @param dialler the dialling transport's credentials
   * @param acceptor the accepting transport's credentials
   */
  static @Nullable String failure(
      Optional<TlsCredentials> dialler, Optional<TlsCredentials> acceptor) {
    if (acceptor.isEmpty()) {
      return dialler.isPresent() ? "TLS handshake failed: the remote does not use TLS" : null;
    }
    if (dialler.isEmpty()) {
      return "remote requires a client certificate";
    }
    String why = untrusted(acceptor.get().certificate(), dialler.get().trustedCertificates());
    if (why != null) {
      return "TLS handshake failed: the remote's certificate " + why;
    }
    why = untrusted(dialler.get().certificate(), acceptor.get().trustedCertificates());
    if (why != null) {
      return "TLS handshake failed: the remote rejected our certificate, which " + why;
    }
    return null;
  }

  private static @Nullable String untrusted(X509Certificate cert, List<X509Certificate> trusted) {
    String subject = cert.getSubjectX500Principal().getName();
    String issuer = cert.getIssuerX500Principal().getName();
    String badSignature = null;
    for (X509Certificate ca : trusted) {
      if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
        continue;
      }
      try {
        cert.verify(ca.getPublicKey());
        return null;
      } catch (GeneralSecurityException e) {
        badSignature = e.toString();
      }
    }
    if (badSignature != null) {
      return "("
          + subject
          + ") names a trusted issuer ("
          + issuer
          + ") but its signature does not verify: "
          + badSignature;
    }
    return "("
        + subject
        + ") is issued by "
        + issuer
        + ", which is not among the "
        + trusted.size()
        + " trusted CA certificate(s)";
  }
}
