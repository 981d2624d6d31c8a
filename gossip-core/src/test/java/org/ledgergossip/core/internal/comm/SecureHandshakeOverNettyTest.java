package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.HandshakeException.Reason;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.netty.NettyTransportProvider;

/**
 * Two peers, each from its own generated MSP folder, authenticate over Netty mutual TLS on
 * 127.0.0.1 and exchange messages; the impostor, replayed-handshake, unknown-CA, plain-text,
 * expired and revoked cases are each refused with their own counted reason, and the listening peer
 * keeps serving the honest one.
 */
class SecureHandshakeOverNettyTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
  private final Scheduler scheduler = Scheduler.system("handshake-test");
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
  private final List<AuthenticatedPeer> accepted = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<AuthenticatedPeer>> serverSessions =
      new CopyOnWriteArrayList<>();
  private final List<byte[]> serverFrames = new CopyOnWriteArrayList<>();

  private CryptoLayout layout;
  private Msp server;
  private Endpoint serverEndpoint;

  @BeforeEach
  void startServer() throws Exception {
    layout =
        Cryptogen.generate(
            dir.resolve("network"),
            Cryptogen.Spec.builder().orgs(2).peersPerOrg(2).clock(Clock.system()).build());
    server = msp(1, 0);
    Handshaker handshaker = handshaker(server, serverMeters);
    Transport transport = transport(server, serverMeters);
    Listener listener =
        transport.listen(
            new Endpoint("127.0.0.1", 0),
            c -> {
              Session s =
                  handshaker.newSession(
                      false,
                      peer -> {
                        accepted.add(peer);
                        return new Collect(serverFrames);
                      });
              serverSessions.add(s.result());
              s.start(c);
              return s;
            });
    closeables.add(listener);
    serverEndpoint = listener.endpoint();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    scheduler.close();
  }

  @Test
  void honestPeersAuthenticateAndExchangeMessagesWhileEveryAttackIsRefusedWithItsOwnReason()
      throws Exception {
    // The honest peer of another organisation.
    AuthenticatedPeer honest = connect(msp(2, 0));
    assertThat(honest.pkiId()).isEqualTo(server.localIdentity().pkiId());
    await().atMost(WAIT).until(() -> accepted.size() == 1);
    assertThat(accepted.get(0).identity().mspId()).isEqualTo("Org2MSP");
    honest.connection().send("hello".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> serverFrames.size() == 1);

    // An impostor: a valid Org1 member's TLS, another member's identity, its own key.
    IssuedIdentity victim = issue("victim", 365);
    IssuedIdentity mallory = issue("mallory", 365);
    attempt(new IdentityMsp(msp(1, 1), victim, mallory));
    assertRefused(Reason.BAD_SIGNATURE);

    // A replayed handshake: the honest peer's signed ConnEstablish sent on another TLS connection.
    AuthenticatedPeer recorded = accepted.get(0);
    Connection replayer = rawDial(msp(1, 1));
    replayer.send(
        new WireCodec(1 << 20, new SimpleMeterRegistry())
            .encode(
                WireCodec.envelopeOf(
                    com.google.protobuf.ByteString.copyFrom(
                        recorded.signedHandshake().toByteArray()),
                    com.google.protobuf.ByteString.copyFrom(
                        recorded.handshakeSignature().toByteArray()))));
    assertRefused(Reason.TLS_BINDING_MISMATCH);

    // An expired identity (with valid TLS).
    IssuedIdentity expired =
        Cryptogen.issueIdentity(
            layout.orgDir(1),
            "Org1MSP",
            "expired",
            Instant.now().minus(Duration.ofDays(30)),
            Instant.now().minus(Duration.ofDays(1)));
    attempt(new IdentityMsp(msp(1, 1), expired, expired));
    assertRefused(Reason.IDENTITY_EXPIRED);

    // A revoked identity: org1 peer1's certificate goes on the CRL; the server reloads.
    Msp revokedPeer = msp(1, 1);
    Cryptogen.revoke(layout.orgDir(1), certificateOf(revokedPeer), Instant.now().minusSeconds(1));
    server.reload();
    attempt(revokedPeer);
    assertRefused(Reason.IDENTITY_REVOKED);

    // A TLS client whose certificate comes from a CA nobody trusts: refused by the transport.
    CryptoLayout foreign =
        Cryptogen.generate(
            dir.resolve("foreign"),
            Cryptogen.Spec.builder().orgs(1).peersPerOrg(1).clock(Clock.system()).build());
    Msp stranger = track(new X509MspProvider().create(foreign.mspOptions(1, 0, Clock.system())));
    TlsCredentials strangerTls = stranger.tlsCredentials().orElseThrow();
    // It trusts the server (so the refusal is the server's), but its own certificate is foreign.
    TlsCredentials trustsServer =
        new TlsCredentials(
            strangerTls.privateKey(),
            strangerTls.certificateChain(),
            server.tlsCredentials().orElseThrow().trustedCertificates());
    CompletableFuture<Connection> strangerDial =
        track(
                new NettyTransportProvider()
                    .create(
                        TransportOptions.builder()
                            .tls(trustsServer)
                            .dialTimeout(Duration.ofSeconds(5))
                            .build()))
            .dial(serverEndpoint, new Collect(null));
    assertThat(strangerDial).failsWithin(WAIT);
    await().atMost(WAIT).until(() -> transportFailures("bad_certificate") >= 1);

    // A plain-text client.
    try (Socket plain =
        new Socket(java.net.InetAddress.getLoopbackAddress(), serverEndpoint.port())) {
      OutputStream out = plain.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(WAIT).until(() -> transportFailures("not_tls") >= 1);
    }

    // The listening peer still serves an honest peer, and every refusal was counted once.
    AuthenticatedPeer again = connect(msp(2, 1));
    assertThat(again.pkiId()).isEqualTo(server.localIdentity().pkiId());
    await().atMost(WAIT).until(() -> accepted.size() == 2);
    for (Reason r :
        List.of(
            Reason.BAD_SIGNATURE,
            Reason.TLS_BINDING_MISMATCH,
            Reason.IDENTITY_EXPIRED,
            Reason.IDENTITY_REVOKED)) {
      assertThat(rejected(r)).as(r.toString()).isEqualTo(1);
    }
  }

  // ---- helpers ----

  private Msp msp(int org, int peer) throws Exception {
    return track(new X509MspProvider().create(layout.mspOptions(org, peer, Clock.system())));
  }

  private IssuedIdentity issue(String cn, int days) throws Exception {
    return Cryptogen.issueIdentity(
        layout.orgDir(1),
        "Org1MSP",
        cn,
        Instant.now().minus(Duration.ofMinutes(5)),
        Instant.now().plus(Duration.ofDays(days)));
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  private Handshaker handshaker(Msp msp, SimpleMeterRegistry meters) {
    return Handshaker.builder()
        .msp(msp)
        .codec(new WireCodec(1 << 20, meters))
        .scheduler(scheduler)
        .meterRegistry(meters)
        .connTimeout(Duration.ofSeconds(5))
        .build();
  }

  private Transport transport(Msp msp, SimpleMeterRegistry meters) throws Exception {
    return track(
        new NettyTransportProvider()
            .create(
                TransportOptions.builder()
                    .tls(msp.tlsCredentials().orElseThrow())
                    .meterRegistry(meters)
                    .dialTimeout(Duration.ofSeconds(5))
                    .build()));
  }

  /** Dials and completes the gossip handshake as {@code msp}. */
  private AuthenticatedPeer connect(Msp msp) throws Exception {
    return handshakeAs(msp).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Dials and starts the handshake as {@code msp}; the server may refuse it. */
  private void attempt(Msp msp) {
    CompletableFuture<AuthenticatedPeer> unused = handshakeAs(msp);
  }

  private CompletableFuture<AuthenticatedPeer> handshakeAs(Msp msp) {
    try {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      Session s = handshaker(msp, meters).newSession(false, p -> new Collect(null));
      CompletableFuture<Void> started =
          transport(msp, meters).dial(serverEndpoint, s).thenAccept(s::start);
      return started.thenCompose(v -> s.result());
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A TLS connection as {@code msp} without our handshake: the test writes the first frame. */
  private Connection rawDial(Msp msp) throws Exception {
    return transport(msp, new SimpleMeterRegistry())
        .dial(serverEndpoint, new Collect(null))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private void assertRefused(Reason reason) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(rejected(reason)).as(reason.toString()).isEqualTo(1));
  }

  private double rejected(Reason reason) {
    return serverMeters.counter(Handshaker.REJECTED_COUNTER, "reason", reason.metricTag()).count();
  }

  private double transportFailures(String reason) {
    var c =
        serverMeters.find("gossip_comm_handshake_failures_total").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static java.security.cert.X509Certificate certificateOf(Msp msp) throws Exception {
    byte[] serialized = msp.localIdentity().serialized().toByteArray();
    byte[] pem =
        org.hyperledger.fabric.protos.msp.SerializedIdentity.parseFrom(serialized)
            .getIdBytes()
            .toByteArray();
    return (java.security.cert.X509Certificate)
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(pem));
  }

  /** Collects frames, or ignores them. */
  private static final class Collect implements ConnectionHandler {
    private final @Nullable List<byte[]> frames;

    Collect(@Nullable List<byte[]> frames) {
      this.frames = frames;
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
      if (frames != null) {
        frames.add(frame);
      }
    }

    @Override
    public void onClose(Connection connection, @Nullable Throwable cause) {}
  }
}
