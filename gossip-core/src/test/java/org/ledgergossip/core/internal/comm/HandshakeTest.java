package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.hyperledger.fabric.protos.gossip.ConnEstablish;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.core.internal.comm.HandshakeException.Reason;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * The handshake over the in-memory transport without TLS (binding off), in virtual time. The
 * TLS-bound cases (replay, borrowed handshake) run over TLS transports in the integration tests.
 */
class HandshakeTest {

  private static final Duration CONN_TIMEOUT = Duration.ofSeconds(2);
  private static int networks;

  private final VirtualScheduler time = new VirtualScheduler();
  private final InMemoryNetwork network =
      InMemoryNetwork.builder().name("handshake-" + ++networks).scheduler(time).seed(1).build();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final WireCodec codec = new WireCodec(1 << 20, meters);
  @TempDir Path dir;
  private CryptoLayout layout;
  private Msp org1peer0;
  private Msp org1peer1;

  @BeforeEach
  void generate() throws Exception {
    layout =
        Cryptogen.generate(
            dir.resolve("network"), Cryptogen.Spec.builder().clock(time.clock()).build());
    org1peer0 = msp(layout, 1, 0);
    org1peer1 = msp(layout, 1, 1);
  }

  private Msp msp(CryptoLayout in, int org, int peer) throws Exception {
    return new X509MspProvider().create(in.mspOptions(org, peer, time.clock()));
  }

  private IssuedIdentity issue(String cn) throws Exception {
    return Cryptogen.issueIdentity(
        layout.orgDir(1), "Org1MSP", cn, time.now(), time.now().plus(Duration.ofDays(1)));
  }

  private final Endpoint serverEndpoint = new Endpoint("peer0.org1", 7051);
  private final List<AuthenticatedPeer> serverAccepted = new CopyOnWriteArrayList<>();
  private final List<byte[]> serverFrames = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<AuthenticatedPeer>> serverSessions =
      new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    network.close();
  }

  private Handshaker handshaker(Msp msp) {
    return Handshaker.builder()
        .msp(msp)
        .codec(codec)
        .scheduler(time)
        .meterRegistry(meters)
        .connTimeout(CONN_TIMEOUT)
        .tlsBinding(false)
        .build();
  }

  private void startServer() throws TransportException {
    Handshaker server = handshaker(org1peer0);
    Transport t = network.newTransport(TransportOptions.builder().build());
    t.listen(
        serverEndpoint,
        c -> {
          Session s =
              server.newSession(
                  false,
                  peer -> {
                    serverAccepted.add(peer);
                    return new Collect(serverFrames);
                  });
          serverSessions.add(s.result());
          s.start(c);
          return s;
        });
  }

  private CompletableFuture<AuthenticatedPeer> dial(Msp msp, boolean probe, List<byte[]> got) {
    Session s = handshaker(msp).newSession(probe, peer -> new Collect(got));
    CompletableFuture<Void> started =
        network
            .newTransport(TransportOptions.builder().build())
            .dial(serverEndpoint, s)
            .thenAccept(s::start);
    time.runUntilIdle();
    assertThat(started).isCompleted();
    return s.result();
  }

  private double rejected(Reason reason) {
    return meters.counter(Handshaker.REJECTED_COUNTER, "reason", reason.metricTag()).count();
  }

  @Test
  void twoPeersAuthenticateEachOtherAndThenExchangeFrames() throws Exception {
    startServer();
    CompletableFuture<AuthenticatedPeer> client =
        dial(org1peer1, false, new CopyOnWriteArrayList<>());
    assertThat(client).isCompleted();
    AuthenticatedPeer server = client.get();
    assertThat(server.pkiId()).isEqualTo(org1peer0.localIdentity().pkiId());
    assertThat(serverAccepted)
        .singleElement()
        .satisfies(p -> assertThat(p.pkiId()).isEqualTo(org1peer1.localIdentity().pkiId()));
    server.connection().send(new byte[] {42});
    time.runUntilIdle();
    assertThat(serverFrames).singleElement().isEqualTo(new byte[] {42});
  }

  @Test
  void anImpostorWithAnotherPeersIdentityButItsOwnKeyIsRefusedAndTheHonestPeerStillServed()
      throws Exception {
    startServer();
    CompletableFuture<AuthenticatedPeer> impostor =
        dial(
            new IdentityMsp(org1peer1, issue("victim"), issue("mallory")),
            false,
            new CopyOnWriteArrayList<>());
    assertThat(serverSessions.get(0)).isCompletedExceptionally();
    assertThat(reasonOf(serverSessions.get(0))).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(rejected(Reason.BAD_SIGNATURE)).isEqualTo(1);
    time.runUntilIdle();
    assertThat(impostor.get().connection().isOpen())
        .as("the impostor authenticated the honest server, which then closed on it")
        .isFalse();
    assertThat(serverAccepted).isEmpty();

    assertThat(dial(org1peer1, false, new CopyOnWriteArrayList<>())).isCompleted();
    assertThat(serverAccepted).hasSize(1);
  }

  @Test
  void anIdentityFromACaNobodyTrustsIsRefused() throws Exception {
    startServer();
    CryptoLayout foreign =
        Cryptogen.generate(
            dir.resolve("foreign"), Cryptogen.Spec.builder().clock(time.clock()).build());
    CompletableFuture<AuthenticatedPeer> evil =
        dial(msp(foreign, 1, 0), false, new CopyOnWriteArrayList<>());
    time.runUntilIdle();
    assertThat(evil).as("neither side trusts the other's CA").isCompletedExceptionally();
    assertThat(reasonOf(serverSessions.get(0))).isEqualTo(Reason.IDENTITY_REJECTED);
    assertThat(rejected(Reason.IDENTITY_REJECTED))
        .as("both sides refused, counted in the registry they share here")
        .isEqualTo(2);
  }

  @Test
  void aPkiIdThatIsNotTheIdentitysIsRefused() throws Exception {
    startServer();
    GossipMessage lying =
        GossipMessage.newBuilder()
            .setTag(GossipMessage.Tag.EMPTY)
            .setConn(
                ConnEstablish.newBuilder()
                    .setPkiId(
                        ByteString.copyFrom(
                            org1peer0.localIdentity().pkiId().bytes().toByteArray()))
                    .setIdentity(
                        ByteString.copyFrom(org1peer1.localIdentity().serialized().toByteArray())))
            .build();
    ByteString payload = lying.toByteString();
    rawSend(
        codec.encode(
            WireCodec.envelopeOf(
                payload, ByteString.copyFrom(org1peer1.sign(payload.toByteArray())))));
    assertThat(reasonOf(serverSessions.get(0))).isEqualTo(Reason.PKI_ID_MISMATCH);
  }

  @Test
  void aFirstFrameThatIsNotAHandshakeIsRefused() throws Exception {
    startServer();
    rawSend(new byte[] {1, 2, 3});
    assertThat(reasonOf(serverSessions.get(0))).isEqualTo(Reason.WRONG_MESSAGE);
    assertThat(rejected(Reason.WRONG_MESSAGE)).isEqualTo(1);
  }

  @Test
  void aSilentRemoteIsDroppedAfterConnTimeout() throws Exception {
    startServer();
    Connection raw = rawConnection();
    time.advanceBy(CONN_TIMEOUT.minusMillis(1));
    assertThat(serverSessions.get(0)).isNotDone();
    time.advanceBy(Duration.ofMillis(1));
    assertThat(reasonOf(serverSessions.get(0))).isEqualTo(Reason.TIMEOUT);
    time.runUntilIdle();
    assertThat(raw.isOpen()).isFalse();
  }

  @Test
  void aProbeAuthenticatesBothSidesThenCloses() throws Exception {
    startServer();
    CompletableFuture<AuthenticatedPeer> probe =
        dial(org1peer1, true, new CopyOnWriteArrayList<>());
    time.runUntilIdle();
    assertThat(probe.get().pkiId()).isEqualTo(org1peer0.localIdentity().pkiId());
    assertThat(probe.get().connection().isOpen()).isFalse();
    assertThat(serverSessions.get(0).get().probe()).isTrue();
    assertThat(serverSessions.get(0).get().connection().isOpen()).isFalse();
    assertThat(serverAccepted).as("a probe never reaches the connection's handler").isEmpty();
  }

  @Test
  void theHandshakeIsSignedOnceAndReused() throws Exception {
    startServer();
    assertThat(dial(org1peer1, false, new CopyOnWriteArrayList<>())).isCompleted();
    assertThat(dial(org1peer1, false, new CopyOnWriteArrayList<>())).isCompleted();
    assertThat(serverAccepted).hasSize(2);
    assertThat(serverSessions).allSatisfy(f -> assertThat(f).isCompleted());
  }

  private void rawSend(byte[] frame) throws Exception {
    rawConnection().send(frame);
    time.runUntilIdle();
  }

  private Connection rawConnection() throws Exception {
    CompletableFuture<Connection> c =
        network
            .newTransport(TransportOptions.builder().build())
            .dial(serverEndpoint, new Collect(new CopyOnWriteArrayList<>()));
    time.runUntilIdle();
    return c.get();
  }

  private static Reason reasonOf(CompletableFuture<AuthenticatedPeer> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return ((HandshakeException) e.getCause()).reason();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Collects frames. */
  private static final class Collect implements ConnectionHandler {
    private final List<byte[]> frames;

    Collect(List<byte[]> frames) {
      this.frames = frames;
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
      frames.add(frame);
    }

    @Override
    public void onClose(Connection connection, @Nullable Throwable cause) {}
  }
}
