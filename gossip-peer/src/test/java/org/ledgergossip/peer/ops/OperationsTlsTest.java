package org.ledgergossip.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;

/** HTTPS on the operations port with Cryptogen's TLS material, with and without client auth. */
class OperationsTlsTest {

  @TempDir Path dir;

  private Path tls;

  @BeforeEach
  void crypto() throws Exception {
    CryptoLayout layout =
        Cryptogen.generate(
            dir.resolve("crypto"), Cryptogen.Spec.builder().orgs(1).peersPerOrg(2).build());
    tls = layout.peerDir(1, 0).resolve("tls");
  }

  private SSLContext server() throws Exception {
    return OperationsTls.sslContext(
        tls.resolve("server.crt"), tls.resolve("server.key"), List.of(tls.resolve("ca.crt")));
  }

  @Test
  void clientWithATrustedCertificateIsServedWhenClientAuthIsRequired() throws Exception {
    try (OperationsServer ops =
        OperationsServer.builder().listen("127.0.0.1:0").tls(server(), true).start()) {
      assertThat(ops.isTls()).isTrue();
      SSLContext client =
          OperationsTls.sslContext(
              tls.resolve("server.crt"), tls.resolve("server.key"), List.of(tls.resolve("ca.crt")));

      assertThat(new Http(ops, client).get("/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void clientWithoutACertificateIsRefusedWhenClientAuthIsRequired() throws Exception {
    try (OperationsServer ops =
        OperationsServer.builder().listen("127.0.0.1:0").tls(server(), true).start()) {
      SSLContext anonymous = OperationsTls.trustingContext(List.of(tls.resolve("ca.crt")));

      assertThatThrownBy(() -> new Http(ops, anonymous).get("/healthz"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void clientWithoutACertificateIsServedWhenClientAuthIsNotRequired() throws Exception {
    try (OperationsServer ops =
        OperationsServer.builder().listen("127.0.0.1:0").tls(server(), false).start()) {
      SSLContext anonymous = OperationsTls.trustingContext(List.of(tls.resolve("ca.crt")));

      assertThat(new Http(ops, anonymous).get("/version").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void pemFilesWithoutKeyOrCertificateAreReportedByName() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");

    assertThatThrownBy(() -> OperationsTls.sslContext(tls.resolve("server.crt"), empty, List.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no unencrypted private key in " + empty);
    assertThatThrownBy(() -> OperationsTls.trustingContext(List.of(empty)))
        .hasMessageContaining(empty.toString());
  }
}
