package org.ledgergossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ledgergossip.transport.netty.NettyTests.LOCAL;
import static org.ledgergossip.transport.netty.NettyTests.TIMEOUT;
import static org.ledgergossip.transport.netty.NettyTests.assumeAvailable;
import static org.ledgergossip.transport.netty.NettyTests.options;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.tck.FrameRecorder;

/**
 * Mutual TLS on both engines: who is refused (unknown CA, expired certificate, plain text, a server
 * the client does not trust), that refusals are counted by reason and logged once, that the server
 * keeps serving honest clients afterwards, and that TLS 1.2 is used only when configured.
 */
class MutualTlsTest {

  private static final TestPki PKI = TestPki.create("mtls-ca");
  private static final TestPki FOREIGN = TestPki.create("foreign-ca");

  private final NettyTests t = new NettyTests();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void closeAll() throws Exception {
    t.closeAll();
  }

  private record Server(NettyTransport transport, Listener listener, FrameRecorder frames) {}

  private Server server(TlsEngine engine, String protocols) throws Exception {
    NettyTransport transport =
        t.transport(
            options(PKI.credentials("server"), engine)
                .meterRegistry(registry)
                .property(NettyTransportProvider.TLS_PROTOCOLS_PROPERTY, protocols)
                .build());
    FrameRecorder frames = new FrameRecorder();
    Listener listener = t.track(transport.listen(LOCAL, c -> frames));
    return new Server(transport, listener, frames);
  }

  private CompletableFuture<Connection> dial(
      Server server, TlsCredentials credentials, TlsEngine engine, String protocols)
      throws Exception {
    NettyTransport client =
        t.transport(
            options(credentials, engine)
                .property(NettyTransportProvider.TLS_PROTOCOLS_PROPERTY, protocols)
                .build());
    return client.dial(server.listener().endpoint(), new FrameRecorder());
  }

  private static TransportException dialFailure(CompletableFuture<Connection> dial) {
    assertThat(dial).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class);
    Throwable cause = dial.handle((c, e) -> e).join();
    assertThat(cause).isInstanceOf(TransportException.class);
    return (TransportException) cause;
  }

  private double handshakeFailures(String reason) {
    Counter c = registry.find(TransportMeters.HANDSHAKE_FAILURES).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private double allHandshakeFailures() {
    return registry.find(TransportMeters.HANDSHAKE_FAILURES).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** An honest client still gets through and its frame arrives. */
  private void assertServesHonestClient(Server server, TlsEngine engine) throws Exception {
    Connection c =
        dial(server, PKI.credentials("honest"), engine, "TLSv1.3")
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    int before = server.frames().frameCount();
    assertThat(c.send(new byte[] {42})).isEqualTo(SendResult.QUEUED);
    await().atMost(TIMEOUT).until(() -> server.frames().frameCount() > before);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void clientWithCertificateOfUnknownCaIsRefusedAndServerKeepsServing(TlsEngine engine)
      throws Exception {
    assumeAvailable(engine);
    Server server = server(engine, "TLSv1.3");
    TestPki.Issued stranger = FOREIGN.leaf("stranger");
    TlsCredentials credentials = PKI.trusting(stranger, FOREIGN.caCertificate());

    TransportException e = dialFailure(dial(server, credentials, engine, "TLSv1.3"));

    assertThat(e).hasMessageContaining("dial " + server.listener().endpoint() + " failed");
    await().atMost(TIMEOUT).until(() -> handshakeFailures(Failures.BAD_CERTIFICATE) == 1);
    assertThat(server.frames().closeCount()).isZero(); // the acceptor never saw it
    assertServesHonestClient(server, engine);
    assertThat(allHandshakeFailures()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void expiredClientCertificateIsRefused(TlsEngine engine) throws Exception {
    assumeAvailable(engine);
    Server server = server(engine, "TLSv1.3");
    TlsCredentials expired = PKI.credentials(PKI.expiredLeaf("expired"));

    dialFailure(dial(server, expired, engine, "TLSv1.3"));

    await().atMost(TIMEOUT).until(() -> handshakeFailures(Failures.BAD_CERTIFICATE) == 1);
    assertServesHonestClient(server, engine);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void serverWithCertificateOfUnknownCaIsRefusedByTheClient(TlsEngine engine) throws Exception {
    assumeAvailable(engine);
    NettyTransport impostor =
        t.transport(
            options(PKI.trusting(FOREIGN.leaf("impostor"), FOREIGN.caCertificate()), engine)
                .build());
    Listener listener = t.track(impostor.listen(LOCAL, c -> new FrameRecorder()));
    NettyTransport client = t.transport(options(PKI.credentials("client"), engine).build());

    TransportException e = dialFailure(client.dial(listener.endpoint(), new FrameRecorder()));

    assertThat(e).hasMessageContaining("TLS handshake failed");
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void plainTextClientIsRefusedCountedLoggedOnceAndServerKeepsServing(TlsEngine engine)
      throws Exception {
    assumeAvailable(engine);
    Server server = server(engine, "TLSv1.3");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int port;
    try {
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try (RawTlsClient plain = RawTlsClient.plain(server.listener().endpoint(), 10_000)) {
        port = plain.localPort();
        plain.write(
            "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(plain.closedByServer()).as("server closed the plain-text connection").isTrue();
      }
      await().atMost(TIMEOUT).until(() -> handshakeFailures(Failures.NOT_TLS) == 1);
    } finally {
      System.setErr(originalErr);
    }
    String remote = "127.0.0.1:" + port;
    assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(remote)))
        .singleElement()
        .asString()
        .contains("TLS handshake with " + remote + " failed (not_tls)");
    assertServesHonestClient(server, engine);
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void tls12IsUsedWhenBothSidesAreConfiguredForIt(TlsEngine engine) throws Exception {
    assumeAvailable(engine);
    Server server = server(engine, "TLSv1.2");

    NettyConnection c =
        (NettyConnection)
            dial(server, PKI.credentials("old"), engine, "TLSv1.2")
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(c.tlsProtocol()).isEqualTo("TLSv1.2");
    assertThat(c.peerCertificate()).isPresent();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void tls12ClientIsRefusedByTheDefaultTls13Server(TlsEngine engine) throws Exception {
    assumeAvailable(engine);
    Server server = server(engine, "TLSv1.3");

    dialFailure(dial(server, PKI.credentials("old"), engine, "TLSv1.2"));

    await().atMost(TIMEOUT).until(() -> allHandshakeFailures() == 1);
  }

  @Test
  void defaultIsTls13AndCertificatesAreTheConfiguredOnes() throws Exception {
    TlsEngine engine = TlsEngine.auto();
    Server server = server(engine, "TLSv1.3");
    TestPki.Issued me = PKI.leaf("me");

    NettyConnection c =
        (NettyConnection)
            dial(server, PKI.credentials(me), engine, "TLSv1.3")
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(c.tlsProtocol()).isEqualTo("TLSv1.3");
    assertThat(c.localCertificate()).contains(me.certificate());
    assertThat(c.peerCertificate().orElseThrow().getSubjectX500Principal().getName())
        .startsWith("CN=server");
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void hostNamesAreNotVerifiedAgainstTheServerCertificate(TlsEngine engine) throws Exception {
    assumeAvailable(engine);
    NettyTransport server =
        t.transport(options(PKI.credentials(PKI.leafForAnotherHost("server")), engine).build());
    Listener listener = t.track(server.listen(LOCAL, c -> new FrameRecorder()));
    NettyTransport client = t.transport(options(PKI.credentials("client"), engine).build());

    Connection c =
        client
            .dial(listener.endpoint(), new FrameRecorder())
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(c.isOpen()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void foreignCertificatePresentedAnywayFailsValidationAndIsCounted(TlsEngine engine)
      throws Exception {
    assumeAvailable(engine);
    Server server = server(engine, "TLSv1.3");
    TlsCredentials stranger =
        PKI.trusting(FOREIGN.leaf("stranger"), FOREIGN.caCertificate()); // trusts the server

    try (RawTlsClient raw = RawTlsClient.tls(server.listener().endpoint(), stranger, 10_000)) {
      assertThat(raw.closedByServer()).isTrue(); // a TLS alert or a close, never the greeting
    }

    await().atMost(TIMEOUT).until(() -> handshakeFailures(Failures.BAD_CERTIFICATE) == 1);
    assertThat(server.frames().closeCount()).isZero();
    assertServesHonestClient(server, engine);
  }
}
