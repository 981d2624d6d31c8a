package org.ledgergossip.msp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.msp.MspFolder.Sourced;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.InvalidIdentityException.Reason;

/**
 * A node's {@code tls} folder as cryptogen writes it: {@code server.crt} and {@code server.key}
 * (for a client: {@code client.crt}, {@code client.key}) and the TLS CA's {@code ca.crt}.
 *
 * @param dir the folder
 * @param key the TLS private key (EC)
 * @param certificateChain the certificates of the {@code .crt} file, own certificate first
 * @param caCertificates the certificates of {@code ca.crt}, empty if it is absent
 */
record LocalTls(
    Path dir,
    PrivateKey key,
    List<X509Certificate> certificateChain,
    List<X509Certificate> caCertificates) {

  LocalTls {
    certificateChain = List.copyOf(certificateChain);
    caCertificates = List.copyOf(caCertificates);
  }

  /**
   * Reads {@code dir}, or returns null if it does not exist.
   *
   * @throws InvalidIdentityException naming a missing or invalid file, or a key that does not match
   *     the certificate
   */
  static @Nullable LocalTls read(Path dir) throws InvalidIdentityException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    String prefix = Files.exists(dir.resolve("server.crt")) ? "server" : "client";
    if (!Files.exists(dir.resolve(prefix + ".crt"))) {
      throw new InvalidIdentityException(
          Reason.MATERIAL, "missing TLS certificate " + dir.resolve("server.crt"));
    }
    Path certFile = dir.resolve(prefix + ".crt");
    Path keyFile = dir.resolve(prefix + ".key");
    if (!Files.exists(keyFile)) {
      throw new InvalidIdentityException(Reason.MATERIAL, "missing TLS key " + keyFile);
    }
    List<X509Certificate> chain =
        MspFolder.certificatesOf(certFile).stream().map(Sourced::value).toList();
    PrivateKey key = MspFolder.privateKeyOf(keyFile);
    if (!X509Msp.matches(key, chain.get(0))) {
      throw new InvalidIdentityException(
          Reason.MATERIAL, "TLS key " + keyFile + " does not match the certificate " + certFile);
    }
    Path caFile = dir.resolve("ca.crt");
    List<X509Certificate> cas =
        Files.exists(caFile)
            ? MspFolder.certificatesOf(caFile).stream().map(Sourced::value).toList()
            : List.of();
    return new LocalTls(dir, key, chain, cas);
  }
}
