package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;

class TlsEmulationTest extends VirtualNetworkTest {

  private static TestCertificates.Issued org1Ca;
  private static TestCertificates.Issued org2Ca;
  private static TestCertificates.Issued peer1;
  private static TestCertificates.Issued peer2;
  private static TestCertificates.Issued outsider;
  private static TestCertificates.Issued forged;

  @BeforeAll
  static void makeCertificates() throws GeneralSecurityException {
    org1Ca = TestCertificates.ca("org1-ca");
    org2Ca = TestCertificates.ca("org2-ca");
    peer1 = TestCertificates.issue("peer1.org1", org1Ca);
    peer2 = TestCertificates.issue("peer2.org2", org2Ca);
    outsider = TestCertificates.issue("outsider", TestCertificates.ca("other-ca"));
    // Names org1-ca as issuer but is signed by an impostor with the same name.
    forged = TestCertificates.issue("forged.org1", TestCertificates.ca("org1-ca"));
  }

  private Transport server(TlsCredentials tls) throws TransportException {
    return listening(A, new Recorder(), b -> b.tls(tls));
  }

  private CompletableFuture<Connection> dialWith(TlsCredentials tls) {
    CompletableFuture<Connection> dial = transport(b -> b.tls(tls)).dial(A, new Recorder());
    scheduler.runUntilIdle();
    return dial;
  }

  private static void assertDialFails(CompletableFuture<Connection> dial, String... fragments) {
    assertThat(dial).isCompletedExceptionally();
    assertThatThrownBy(dial::join)
        .cause()
        .isInstanceOf(TransportException.class)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void mutuallyTrustedCertificatesConnectAndAreExposedOnBothSides() throws TransportException {
    Recorder acceptor = new Recorder();
    listening(A, acceptor, b -> b.tls(peer1.credentials(org2Ca.certificate())));

    CompletableFuture<Connection> dial = dialWith(peer2.credentials(org1Ca.certificate()));

    Connection client = dial.join();
    assertThat(client.localCertificate()).contains(peer2.certificate());
    assertThat(client.peerCertificate()).contains(peer1.certificate());
    Connection accepted = acceptor.accepted().get(0);
    assertThat(accepted.localCertificate()).contains(peer1.certificate());
    assertThat(accepted.peerCertificate()).contains(peer2.certificate());
  }

  @Test
  void aServerWithTlsRequiresAClientCertificate() throws TransportException {
    server(peer1.credentials(org2Ca.certificate()));

    CompletableFuture<Connection> dial = transport().dial(A, new Recorder());
    scheduler.runUntilIdle();

    assertDialFails(dial, "remote requires a client certificate");
  }

  @Test
  void aClientCertificateFromAnUntrustedCaIsRejected() throws TransportException {
    server(peer1.credentials(org2Ca.certificate()));

    assertDialFails(
        dialWith(outsider.credentials(org1Ca.certificate())),
        "TLS handshake failed",
        "CN=outsider",
        "not among");
  }

  @Test
  void aServerCertificateTheClientDoesNotTrustIsRejected() throws TransportException {
    server(peer1.credentials(org2Ca.certificate()));

    assertDialFails(
        dialWith(peer2.credentials(org2Ca.certificate())), "TLS handshake failed", "CN=peer1.org1");
  }

  @Test
  void aCertificateWhoseSignatureDoesNotVerifyIsRejected() throws TransportException {
    server(peer1.credentials(org1Ca.certificate()));

    assertDialFails(
        dialWith(forged.credentials(org1Ca.certificate())),
        "TLS handshake failed",
        "signature does not verify");
  }

  @Test
  void aClientWithTlsCannotConnectToAServerWithout() throws TransportException {
    listening(A, new Recorder());

    assertDialFails(dialWith(peer2.credentials(org1Ca.certificate())), "TLS handshake failed");
  }
}
