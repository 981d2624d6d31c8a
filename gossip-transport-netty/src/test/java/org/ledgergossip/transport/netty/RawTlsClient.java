package org.ledgergossip.transport.netty;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * A hand-written client for the wire format: a JDK TLS 1.3 socket (or a plain socket) that writes
 * whatever bytes a test wants, to break the framing on purpose. Blocking; one thread.
 */
final class RawTlsClient implements AutoCloseable {

  private static final char[] PASSWORD = "test".toCharArray();

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawTlsClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /**
   * Connects over TLS 1.3 presenting {@code tls} (even when the server's list of acceptable CAs
   * does not name its issuer), and completes the client's side of the handshake.
   */
  static RawTlsClient tls(Endpoint server, TlsCredentials tls, int readTimeoutMillis)
      throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "me", tls.privateKey(), PASSWORD, tls.certificateChain().toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (X509Certificate ca : tls.trustedCertificates()) {
      trust.setCertificateEntry("ca" + i++, ca);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    X509KeyManager keyManager = (X509KeyManager) kmf.getKeyManagers()[0];
    context.init(new KeyManager[] {new AlwaysPresent(keyManager)}, tmf.getTrustManagers(), null);
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(server.host(), server.port());
    socket.setSoTimeout(readTimeoutMillis);
    socket.startHandshake();
    return new RawTlsClient(socket);
  }

  /** Connects without TLS. */
  static RawTlsClient plain(Endpoint server, int readTimeoutMillis) throws IOException {
    Socket socket = new Socket(server.host(), server.port());
    socket.setSoTimeout(readTimeoutMillis);
    return new RawTlsClient(socket);
  }

  /** This socket's local port. */
  int localPort() {
    return socket.getLocalPort();
  }

  /** Reads a big-endian int (the server's greeting). */
  int readInt() throws IOException {
    return in.readInt();
  }

  /** Writes and flushes {@code bytes}. */
  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Reads until the server closes the connection (end of stream or a reset/TLS alert), and tells
   * whether it did before the read timeout.
   */
  boolean closedByServer() {
    try {
      InputStream stream = socket.getInputStream();
      byte[] buffer = new byte[1024];
      while (stream.read(buffer) >= 0) {
        // discard
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset, or a TLS alert
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Presents its one key whatever CAs the server asks for, as a misbehaving client would. */
  private static final class AlwaysPresent extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;

    AlwaysPresent(X509KeyManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"me"};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "me";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return "me";
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate.getPrivateKey(alias);
    }
  }
}
