package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * The handshake on the in-memory transport with TLS emulated (each side's TLS certificate from its
 * MSP folder) and TLS binding on, in virtual time: a replayed handshake is refused, and two peers
 * that dial each other at the same moment keep one and the same connection.
 */
class HandshakeWithEmulatedTlsTest {

  private static int networks;

  @TempDir Path dir;

  private final VirtualScheduler time = new VirtualScheduler();
  private final InMemoryNetwork network =
      InMemoryNetwork.builder().name("emulated-tls-" + ++networks).scheduler(time).seed(3).build();
  private CryptoLayout layout;

  /** One peer: its MSP, transport, handshaker, connection store and what it accepted. */
  private final class Peer {
    final Msp msp;
    final Transport transport;
    final Handshaker handshaker;
    final ConnectionStore store;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<CompletableFuture<AuthenticatedPeer>> sessions = new CopyOnWriteArrayList<>();
    final Endpoint endpoint;

    Peer(int org, int index) throws Exception {
      msp = new X509MspProvider().create(layout.mspOptions(org, index, time.clock()));
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      handshaker =
          Handshaker.builder()
              .msp(msp)
              .codec(new WireCodec(1 << 20, meters))
              .scheduler(time)
              .meterRegistry(meters)
              .connTimeout(Duration.ofSeconds(2))
              .tlsBinding(true)
              .build();
      store = new ConnectionStore(msp.localIdentity().pkiId(), time.clock(), Duration.ofSeconds(2));
      endpoint =
          transport
              .listen(
                  new Endpoint(layout.peerName(org, index), 7051),
                  c -> {
                    Session s = handshaker.newSession(false, this::registered);
                    sessions.add(s.result());
                    s.start(c);
                    return s;
                  })
              .endpoint();
    }

    ConnectionHandler registered(AuthenticatedPeer peer) {
      store.register(peer);
      return IGNORE;
    }

    CompletableFuture<AuthenticatedPeer> dial(Endpoint remote) {
      Session s = handshaker.newSession(false, this::registered);
      CompletableFuture<Void> started = transport.dial(remote, s).thenAccept(s::start);
      return started.thenCompose(v -> s.result());
    }

    double rejected(Reason reason) {
      return meters.counter(Handshaker.REJECTED_COUNTER, "reason", reason.metricTag()).count();
    }
  }

  @BeforeEach
  void generate() throws Exception {
    layout =
        Cryptogen.generate(
            dir.resolve("network"), Cryptogen.Spec.builder().clock(time.clock()).build());
  }

  @AfterEach
  void close() {
    network.close();
  }

  @Test
  void aHandshakeReplayedOnAnotherPeersTlsConnectionIsRefused() throws Exception {
    Peer server = new Peer(1, 0);
    Peer honest = new Peer(1, 1);
    Peer replayer = new Peer(2, 0);
    CompletableFuture<AuthenticatedPeer> ok = honest.dial(server.endpoint);
    time.runUntilIdle();
    assertThat(ok).isCompleted();
    AuthenticatedPeer recorded = server.sessions.get(0).get();

    CompletableFuture<Connection> raw = replayer.transport.dial(server.endpoint, IGNORE);
    time.runUntilIdle();
    raw.get()
        .send(
            new WireCodec(1 << 20, new SimpleMeterRegistry())
                .encode(
                    WireCodec.envelopeOf(
                        ByteString.copyFrom(recorded.signedHandshake().toByteArray()),
                        ByteString.copyFrom(recorded.handshakeSignature().toByteArray()))));
    time.runUntilIdle();

    assertThat(server.rejected(Reason.TLS_BINDING_MISMATCH)).isEqualTo(1);
    assertThat(raw.get().isOpen()).isFalse();
    assertThat(server.store.get(honest.msp.localIdentity().pkiId())).isPresent();
  }

  @Test
  void peersThatDialEachOtherAtOnceKeepOneAndTheSameConnection() throws Exception {
    Peer a = new Peer(1, 0);
    Peer b = new Peer(1, 1);
    CompletableFuture<AuthenticatedPeer> ab = a.dial(b.endpoint);
    CompletableFuture<AuthenticatedPeer> ba = b.dial(a.endpoint);
    time.runUntilIdle();
    assertThat(ab).isCompleted();
    assertThat(ba).isCompleted();

    Connection atA = a.store.get(b.msp.localIdentity().pkiId()).orElseThrow().connection();
    Connection atB = b.store.get(a.msp.localIdentity().pkiId()).orElseThrow().connection();
    boolean aIsLower = a.msp.localIdentity().pkiId().compareTo(b.msp.localIdentity().pkiId()) < 0;
    assertThat(atA.isClient())
        .as("A keeps its own dial iff its PKI-ID is lower")
        .isEqualTo(aIsLower);
    assertThat(atB.isClient()).isEqualTo(!aIsLower);
    assertThat(atA.localEndpoint()).isEqualTo(atB.remoteEndpoint());
    assertThat(atA.remoteEndpoint()).isEqualTo(atB.localEndpoint());
    assertThat(List.of(ab.get().connection(), ba.get().connection()))
        .filteredOn(Connection::isOpen)
        .as("exactly one of the two connections survives")
        .hasSize(1);
  }

  private static final ConnectionHandler IGNORE =
      new ConnectionHandler() {
        @Override
        public void onFrame(Connection connection, byte[] frame) {}

        @Override
        public void onClose(Connection connection, @Nullable Throwable cause) {}
      };
}
