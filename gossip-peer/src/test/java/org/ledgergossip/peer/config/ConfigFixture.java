package org.ledgergossip.peer.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files for the loader tests: YAML text, MSP folders with (or without) a signing identity. */
final class ConfigFixture {

  /** The smallest valid core.yaml (with {@code msp} beside it, see {@link #msp}). */
  static final String MINIMAL_CORE =
      """
      peer:
        id: peer0.org1.example.com
        address: 127.0.0.1:7051
        localMspId: Org1MSP
        mspConfigPath: msp
      """;

  private ConfigFixture() {}

  /** Writes {@code text} to {@code dir/name} and returns the file. */
  static Path write(Path dir, String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An MSP folder {@code dir/name} with a key in keystore and a certificate in signcerts. */
  static Path msp(Path dir, String name) {
    Path msp = dir.resolve(name);
    write(msp, "keystore/priv_sk", "-----BEGIN PRIVATE KEY-----\n");
    write(msp, "signcerts/peer-cert.pem", "-----BEGIN CERTIFICATE-----\n");
    write(msp, "cacerts/ca-cert.pem", "-----BEGIN CERTIFICATE-----\n");
    return msp;
  }

  /** {@code dir/tls/{server.crt,server.key,ca.crt}}. */
  static Path tls(Path dir) {
    Path tls = dir.resolve("tls");
    write(tls, "server.crt", "cert");
    write(tls, "server.key", "key");
    write(tls, "ca.crt", "ca");
    return tls;
  }
}
