package org.ledgergossip.transport.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayInputStream;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.TransportException;

/**
 * The server and client TLS contexts of one transport, built from its {@link TlsCredentials}: this
 * side's key and chain, the trusted CAs, client certificates required, no host name verification.
 * With OpenSSL the contexts are reference-counted and {@link #release()} frees them; with the JDK
 * engine it does nothing. Thread-safe.
 */
final class TlsContexts {

  private final SslContext server;
  private final SslContext client;

  private TlsContexts(SslContext server, SslContext client) {
    this.server = server;
    this.client = client;
  }

  static TlsContexts build(TlsCredentials tls, NettyConfig config) throws TransportException {
    SslProvider provider =
        config.tlsEngine() == TlsEngine.OPENSSL ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
    X509Certificate[] chain = tls.certificateChain().toArray(new X509Certificate[0]);
    X509Certificate[] trusted = tls.trustedCertificates().toArray(new X509Certificate[0]);
    SslContext server = null;
    try {
      server =
          SslContextBuilder.forServer(tls.privateKey(), chain)
              .trustManager(trusted)
              .clientAuth(ClientAuth.REQUIRE)
              .protocols(config.tlsProtocols())
              .sslProvider(provider)
              .build();
      SslContext client =
          SslContextBuilder.forClient()
              .keyManager(tls.privateKey(), chain)
              .trustManager(trusted)
              .protocols(config.tlsProtocols())
              .sslProvider(provider)
              // Gossip binds the certificate to the remote's identity in its own handshake.
              .endpointIdentificationAlgorithm(null)
              .build();
      return new TlsContexts(server, client);
    } catch (SSLException | RuntimeException e) {
      ReferenceCountUtil.release(server);
      throw new TransportException(
          "cannot build the TLS contexts for "
              + tls
              + " with the "
              + config.tlsEngine().description()
              + " engine and protocols "
              + config.tlsProtocols()
              + ": "
              + Failures.describe(e),
          e);
    }
  }

  SslContext server() {
    return server;
  }

  SslContext client() {
    return client;
  }

  void release() {
    ReferenceCountUtil.release(server);
    ReferenceCountUtil.release(client);
  }

  /**
   * A plain JDK copy of a certificate from an SSL session (OpenSSL hands out its own lazy
   * implementation), so that certificates compare equal whichever engine produced them.
   */
  static @Nullable X509Certificate toJdk(Certificate @Nullable [] certificates) {
    if (certificates == null || certificates.length == 0) {
      return null;
    }
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(certificates[0].getEncoded()));
    } catch (CertificateException e) {
      return null;
    }
  }
}
