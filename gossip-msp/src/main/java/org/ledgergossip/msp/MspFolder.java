package org.ledgergossip.msp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.util.io.pem.PemObject;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.InvalidIdentityException.Reason;

/**
 * Reads Fabric's MSP folder layout ({@code msp/configbuilder.go}): {@code cacerts}, {@code
 * intermediatecerts}, {@code signcerts}, {@code keystore}, {@code crls}, {@code tlscacerts}, {@code
 * tlsintermediatecerts}, and a node's {@code tls} folder beside {@code msp}.
 *
 * <p>Every regular, non-hidden file of a folder is read, in file-name order, and must hold PEM of
 * the expected type: unlike Fabric, which skips unreadable files with a warning, a file that does
 * not parse is an error naming it. A file may hold several PEM blocks. Thread-safe (stateless).
 */
final class MspFolder {

  static final String CACERTS = "cacerts";
  static final String INTERMEDIATECERTS = "intermediatecerts";
  static final String SIGNCERTS = "signcerts";
  static final String KEYSTORE = "keystore";
  static final String ADMINCERTS = "admincerts";
  static final String CRLS = "crls";
  static final String TLSCACERTS = "tlscacerts";
  static final String TLSINTERMEDIATECERTS = "tlsintermediatecerts";

  /** A parsed item and the file it came from. */
  record Sourced<T>(T value, Path file) {}

  private MspFolder() {}

  /**
   * The MSP folder of {@code dir}: {@code dir/msp} if {@code dir} is a node or organisation folder
   * (it has an {@code msp} sub-folder and no {@code cacerts} of its own), else {@code dir} itself.
   */
  static Path mspDir(Path dir) {
    Path nested = dir.resolve("msp");
    if (Files.isDirectory(nested) && !Files.isDirectory(dir.resolve(CACERTS))) {
      return nested;
    }
    return dir;
  }

  /**
   * The TLS folder of a node: {@code dir/tls} when {@code dir} is the node folder, {@code
   * dir/../tls} when {@code dir} is its {@code msp} folder.
   */
  static Path tlsDir(Path dir) {
    Path msp = mspDir(dir);
    if (!msp.equals(dir)) {
      return dir.resolve("tls");
    }
    Path parent = dir.toAbsolutePath().getParent();
    return parent == null ? dir.resolve("tls") : parent.resolve("tls");
  }

  /**
   * The certificates of every file of {@code folder}.
   *
   * @param required whether a missing or empty folder is an error
   */
  static List<Sourced<X509Certificate>> certificates(Path folder, boolean required)
      throws InvalidIdentityException {
    List<Sourced<X509Certificate>> out = new ArrayList<>();
    for (Path file : files(folder, required)) {
      out.addAll(certificatesOf(file));
    }
    if (required && out.isEmpty()) {
      throw new InvalidIdentityException(Reason.MATERIAL, "no certificate in " + folder);
    }
    return out;
  }

  /** The certificates of one file; at least one. */
  static List<Sourced<X509Certificate>> certificatesOf(Path file) throws InvalidIdentityException {
    List<Sourced<X509Certificate>> out = new ArrayList<>();
    try {
      for (PemObject block : Pem.blocks(Files.readAllBytes(file))) {
        if (block.getType().equals(Pem.CERTIFICATE)) {
          out.add(new Sourced<>(Pem.certificate(block.getContent()), file));
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidIdentityException(
          Reason.MATERIAL, "cannot read certificate file " + file + ": " + e, e);
    }
    if (out.isEmpty()) {
      throw new InvalidIdentityException(Reason.MATERIAL, "no PEM CERTIFICATE in " + file);
    }
    return out;
  }

  /** The CRLs of every file of {@code folder}; none if it does not exist. */
  static List<Sourced<X509CRL>> crls(Path folder) throws InvalidIdentityException {
    List<Sourced<X509CRL>> out = new ArrayList<>();
    for (Path file : files(folder, false)) {
      int before = out.size();
      try {
        for (PemObject block : Pem.blocks(Files.readAllBytes(file))) {
          if (block.getType().equals(Pem.X509_CRL)) {
            out.add(new Sourced<>(Pem.crl(block.getContent()), file));
          }
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new InvalidIdentityException(
            Reason.MATERIAL, "cannot read CRL file " + file + ": " + e, e);
      }
      if (out.size() == before) {
        throw new InvalidIdentityException(Reason.MATERIAL, "no PEM X509 CRL in " + file);
      }
    }
    return out;
  }

  /** The EC private keys of every file of {@code keystore}; at least one. */
  static List<Sourced<PrivateKey>> privateKeys(Path keystore) throws InvalidIdentityException {
    List<Sourced<PrivateKey>> out = new ArrayList<>();
    for (Path file : files(keystore, true)) {
      out.add(new Sourced<>(privateKeyOf(file), file));
    }
    return out;
  }

  /** The EC private key of one PEM file (PKCS#8 as cryptogen writes it, or SEC 1). */
  static PrivateKey privateKeyOf(Path file) throws InvalidIdentityException {
    try {
      for (PemObject block : Pem.blocks(Files.readAllBytes(file))) {
        if (block.getType().equals(Pem.PRIVATE_KEY) || block.getType().equals(Pem.EC_PRIVATE_KEY)) {
          return Pem.ecPrivateKey(block);
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidIdentityException(
          Reason.MATERIAL, "cannot read private key file " + file + ": " + e, e);
    }
    throw new InvalidIdentityException(Reason.MATERIAL, "no PEM PRIVATE KEY in " + file);
  }

  /** Regular, non-hidden files of {@code folder} in name order. */
  static List<Path> files(Path folder, boolean required) throws InvalidIdentityException {
    if (!Files.isDirectory(folder)) {
      if (required) {
        throw new InvalidIdentityException(Reason.MATERIAL, "missing folder " + folder);
      }
      return List.of();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      List<Path> files =
          entries
              .filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
      if (required && files.isEmpty()) {
        throw new InvalidIdentityException(Reason.MATERIAL, "empty folder " + folder);
      }
      return files;
    } catch (IOException e) {
      throw new InvalidIdentityException(
          Reason.MATERIAL, "cannot list folder " + folder + ": " + e, e);
    }
  }
}
