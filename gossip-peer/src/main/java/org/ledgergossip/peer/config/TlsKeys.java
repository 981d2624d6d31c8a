package org.ledgergossip.peer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The keys of one TLS section and how they map onto {@link TlsSettings}, both ways: {@code
 * peer.tls.*} ({@code cert.file}, one {@code rootcert.file}), {@code operations.tls.*} (no roots)
 * and the orderer's {@code General.TLS.*} (a list of {@code RootCAs}).
 *
 * @param rootCAs the key of the roots, or null when the section has none
 * @param rootCAsIsList whether {@code rootCAs} is a list (else a single file)
 */
record TlsKeys(
    String enabled,
    String certificate,
    String privateKey,
    @Nullable String rootCAs,
    boolean rootCAsIsList,
    String clientAuthRequired,
    String clientRootCAs) {

  static final TlsKeys PEER =
      new TlsKeys(
          "peer.tls.enabled",
          "peer.tls.cert.file",
          "peer.tls.key.file",
          "peer.tls.rootcert.file",
          false,
          "peer.tls.clientAuthRequired",
          "peer.tls.clientRootCAs.files");

  static final TlsKeys OPERATIONS =
      new TlsKeys(
          "operations.tls.enabled",
          "operations.tls.cert.file",
          "operations.tls.key.file",
          null,
          false,
          "operations.tls.clientAuthRequired",
          "operations.tls.clientRootCAs.files");

  static final TlsKeys ORDERER =
      new TlsKeys(
          "General.TLS.Enabled",
          "General.TLS.Certificate",
          "General.TLS.PrivateKey",
          "General.TLS.RootCAs",
          true,
          "General.TLS.ClientAuthRequired",
          "General.TLS.ClientRootCAs");

  /**
   * Reads the section. When TLS is enabled, the certificate and key are required and every file
   * named must exist; when it is not, the files are not looked at (Fabric's sample names files that
   * do not exist).
   */
  TlsSettings read(ConfigValues v) {
    boolean on = v.bool(enabled).orElse(false);
    Optional<Path> cert = v.path(certificate);
    Optional<Path> key = v.path(privateKey);
    List<Path> roots =
        rootCAs == null
            ? List.of()
            : rootCAsIsList
                ? v.paths(rootCAs).orElse(List.of())
                : v.path(rootCAs).map(List::of).orElse(List.of());
    boolean clientAuth = v.bool(clientAuthRequired).orElse(false);
    List<Path> clientRoots = v.paths(clientRootCAs).orElse(List.of());
    if (on) {
      requireFile(v, certificate, cert, "the server's TLS certificate");
      requireFile(v, privateKey, key, "the server's TLS private key");
      if (rootCAs != null) {
        roots.forEach(p -> v.checkFile(rootCAs, p));
      }
      clientRoots.forEach(p -> v.checkFile(clientRootCAs, p));
    }
    return new TlsSettings(on, cert, key, roots, clientAuth, clientRoots);
  }

  private void requireFile(ConfigValues v, String name, Optional<Path> file, String what) {
    if (file.isPresent()) {
      v.checkFile(name, file.get());
    } else if (!v.isSet(name)) {
      v.missing(name, what + ", since " + enabled + " is true");
    }
  }

  /** Writes the section into {@code out}; {@code path} turns a path into its text. */
  void write(TlsSettings tls, Map<String, Object> out, Function<Path, String> path) {
    out.put(enabled, tls.enabled());
    out.put(clientAuthRequired, tls.clientAuthRequired());
    tls.certificate().ifPresent(p -> out.put(certificate, path.apply(p)));
    tls.privateKey().ifPresent(p -> out.put(privateKey, path.apply(p)));
    if (rootCAs != null) {
      if (rootCAsIsList) {
        out.put(rootCAs, YamlFiles.list(tls.rootCAs().stream().map(path).toList()));
      } else if (!tls.rootCAs().isEmpty()) {
        out.put(rootCAs, path.apply(tls.rootCAs().get(0)));
      }
    } else if (!tls.rootCAs().isEmpty()) {
      throw new IllegalArgumentException(enabled + ": this section has no root CAs");
    }
    out.put(clientRootCAs, YamlFiles.list(tls.clientRootCAs().stream().map(path).toList()));
  }
}
