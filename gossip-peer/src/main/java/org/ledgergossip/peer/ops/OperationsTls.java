package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link SSLContext} of the operations server from PEM files, as Fabric's {@code
 * operations.tls.*} names them: {@code cert.file} (the server's certificate, then its chain),
 * {@code key.file} (PKCS#8 {@code PRIVATE KEY}, or SEC1 {@code EC PRIVATE KEY} / PKCS#1 {@code RSA
 * PRIVATE KEY}; not encrypted) and {@code clientRootCAs.files} (the CAs client certificates must
 * chain to; needed when client authentication is required). The same method builds a client's
 * context for tools and tests: its own certificate and key, and the CA of the server as "roots".
 * Stateless.
 */
public final class OperationsTls {

  private static final char[] NO_PASSWORD = new char[0];

  private OperationsTls() {}

  /**
   * A TLS context presenting {@code certFile}/{@code keyFile} and trusting {@code rootCaFiles}
   * (when empty: the JDK's default trust, which no client certificate of a Fabric network chains
   * to).
   *
   * @throws IOException if a file cannot be read or holds no certificate or key (the message names
   *     the file)
   * @throws GeneralSecurityException if the key or certificates are refused
   */
  public static SSLContext sslContext(Path certFile, Path keyFile, List<Path> rootCaFiles)
      throws IOException, GeneralSecurityException {
    requireNonNull(certFile, "certFile");
    requireNonNull(keyFile, "keyFile");
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("operations", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, NO_PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), trustManagers(rootCaFiles), null);
    return context;
  }

  /**
   * A TLS context without a certificate of its own, trusting {@code rootCaFiles}: a client of a
   * server that does not require client authentication.
   *
   * @throws IOException if a file cannot be read or holds no certificate
   * @throws GeneralSecurityException if the certificates are refused
   */
  public static SSLContext trustingContext(List<Path> rootCaFiles)
      throws IOException, GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers(rootCaFiles), null);
    return context;
  }

  private static TrustManager @Nullable [] trustManagers(List<Path> rootCaFiles)
      throws IOException, GeneralSecurityException {
    if (rootCaFiles.isEmpty()) {
      return null;
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int n = 0;
    for (Path file : rootCaFiles) {
      for (X509Certificate ca : certificates(file)) {
        trust.setCertificateEntry("ca-" + n++, ca);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf.getTrustManagers();
  }

  /** Every certificate of a PEM file, in order. */
  static List<X509Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
    } catch (java.security.cert.CertificateException e) {
      throw new GeneralSecurityException("bad certificate in " + file + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IOException("no certificate in " + file);
    }
    return out;
  }

  /** The first private key of a PEM file. */
  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    }
    throw new IOException("no unencrypted private key in " + file);
  }
}
