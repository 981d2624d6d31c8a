package org.ledgergossip.orderer;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * gRPC TLS credentials from our {@link TlsCredentials}: this side's key and chain, the trusted CA
 * certificates, client certificates required on the server. Also the SHA-256 of a TLS certificate,
 * which Fabric binds into a deliver request's channel header. Stateless and thread-safe.
 */
final class GrpcTls {

  private static final char[] NO_PASSWORD = new char[0];

  private GrpcTls() {}

  /**
   * Server credentials that require a client certificate chaining to {@code tls}'s trusted CAs.
   *
   * @throws IllegalArgumentException if the key, chain or CAs cannot be used, naming {@code tls}
   */
  static ServerCredentials server(TlsCredentials tls) {
    return TlsServerCredentials.newBuilder()
        .keyManager(keyManagers(tls))
        .trustManager(trustManagers(tls))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  /**
   * Client credentials presenting {@code tls}'s certificate and trusting its CAs (the server's host
   * name is checked against the target or the overriding authority).
   *
   * @throws IllegalArgumentException if the key, chain or CAs cannot be used, naming {@code tls}
   */
  static ChannelCredentials client(TlsCredentials tls) {
    return TlsChannelCredentials.newBuilder()
        .keyManager(keyManagers(tls))
        .trustManager(trustManagers(tls))
        .build();
  }

  /** SHA-256 of the DER encoding of {@code certificate}. */
  static byte[] certificateHash(X509Certificate certificate) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot hash certificate " + certificate, e);
    }
  }

  /** SHA-256 of the peer's certificate of {@code session}, or null if it presented none. */
  static byte @Nullable [] peerCertificateHash(@Nullable SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] peer = session.getPeerCertificates();
      if (peer.length == 0 || !(peer[0] instanceof X509Certificate cert)) {
        return null;
      }
      return certificateHash(cert);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static KeyManager[] keyManagers(TlsCredentials tls) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "key", tls.privateKey(), NO_PASSWORD, tls.certificateChain().toArray(new Certificate[0]));
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(store, NO_PASSWORD);
      return f.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use the TLS key and chain of " + tls, e);
    }
  }

  private static TrustManager[] trustManagers(TlsCredentials tls) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : tls.trustedCertificates()) {
        store.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot use the trusted CAs of " + tls, e);
    }
  }
}
