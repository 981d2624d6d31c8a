package org.ledgergossip.peer.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The TLS settings of one server and its outgoing connections, as Fabric writes them under {@code
 * peer.tls.*}, {@code operations.tls.*} or the orderer's {@code General.TLS.*}. Paths are absolute
 * once loaded (relative ones resolve against the configuration file's folder). Immutable.
 *
 * <p>When {@code enabled}, the loaders require {@code certificate} and {@code privateKey} and check
 * that every file named exists.
 *
 * @param enabled whether the server speaks TLS
 * @param certificate the server's PEM certificate ({@code peer.tls.cert.file}, {@code
 *     General.TLS.Certificate}); empty when not configured
 * @param privateKey the server's PEM private key ({@code peer.tls.key.file}, {@code
 *     General.TLS.PrivateKey}); empty when not configured
 * @param rootCAs roots trusted for the certificates of servers this node dials ({@code
 *     peer.tls.rootcert.file}, at most one; {@code General.TLS.RootCAs}; none for operations)
 * @param clientAuthRequired whether clients must present a certificate (mutual TLS)
 * @param clientRootCAs roots trusted for client certificates ({@code peer.tls.clientRootCAs.files},
 *     {@code General.TLS.ClientRootCAs})
 */
public record TlsSettings(
    boolean enabled,
    Optional<Path> certificate,
    Optional<Path> privateKey,
    List<Path> rootCAs,
    boolean clientAuthRequired,
    List<Path> clientRootCAs) {

  private static final TlsSettings DISABLED =
      new TlsSettings(false, Optional.empty(), Optional.empty(), List.of(), false, List.of());

  /** Copies the lists; no argument may be null. */
  public TlsSettings {
    requireNonNull(certificate, "certificate");
    requireNonNull(privateKey, "privateKey");
    rootCAs = List.copyOf(rootCAs);
    clientRootCAs = List.copyOf(clientRootCAs);
  }

  /** TLS off and no file named: Fabric's default. */
  public static TlsSettings disabled() {
    return DISABLED;
  }
}
