package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.core.internal.comm.CommFixture.alive;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.core.internal.comm.CommFixture.Node;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.TransportException;

/**
 * Connections of {@link Comm} on the in-memory transport with emulated TLS, in virtual time: three
 * nodes connected to each other, one connection per PKI-ID, removal on close and reconnection,
 * probes, dial failures.
 */
class CommConnectionsTest {

  @TempDir Path dir;

  private CommFixture net;
  private Node a;
  private Node b;
  private Node c;

  @BeforeEach
  void threeNodes() throws Exception {
    net = new CommFixture(dir);
    a = net.node(1, 0);
    b = net.node(1, 1);
    c = net.node(2, 0);
  }

  @AfterEach
  void close() {
    net.close();
  }

  @Test
  void threeCommsConnectToEachOtherOneConnectionPerPeer() throws Exception {
    AuthenticatedPeer ab = a.connect(b);
    AuthenticatedPeer bc = b.connect(c);
    AuthenticatedPeer ca = c.connect(a);

    assertThat(List.of(ab.pkiId(), bc.pkiId(), ca.pkiId())).containsExactly(b.id, c.id, a.id);
    for (Node n : List.of(a, b, c)) {
      for (Node other : List.of(a, b, c)) {
        if (other != n) {
          assertThat(n.comm.connection(other.id)).as(n.id + " -> " + other.id).isPresent();
        }
      }
      assertThat(n.events)
          .as("each node saw both of its connections open")
          .extracting(e -> e.type() + " " + e.peer().pkiId())
          .containsExactlyInAnyOrderElementsOf(
              List.of(a, b, c).stream()
                  .filter(o -> o != n)
                  .map(o -> ConnectionEvent.Type.OPENED + " " + o.id)
                  .toList());
    }
    assertThat(a.connect(b).connection())
        .as("a second dial replaces the first")
        .isSameAs(a.comm.connection(b.id).orElseThrow().connection());
    assertThat(ab.connection().isOpen()).isFalse();
    assertThat(b.comm.connection(a.id).orElseThrow().connection().isOpen()).isTrue();
  }

  @Test
  void nodesThatDialEachOtherAtOnceSettleOnOneConnection() throws Exception {
    CompletableFuture<AuthenticatedPeer> ab = a.comm.connect(b.endpoint);
    CompletableFuture<AuthenticatedPeer> ba = b.comm.connect(a.endpoint);
    net.time.runUntilIdle();

    assertThat(ab.get().pkiId()).isEqualTo(b.id);
    assertThat(ba.get().pkiId()).isEqualTo(a.id);
    Connection atA = a.comm.connection(b.id).orElseThrow().connection();
    Connection atB = b.comm.connection(a.id).orElseThrow().connection();
    assertThat(atA.isOpen()).isTrue();
    assertThat(atA.localEndpoint())
        .as("both ends of one connection")
        .isEqualTo(atB.remoteEndpoint());
    assertThat(atA.remoteEndpoint()).isEqualTo(atB.localEndpoint());

    b.recordAll();
    assertThat(a.comm.send(alive(a.id, 1), b.id)).isEqualTo(SendStatus.QUEUED);
    net.time.runUntilIdle();
    assertThat(b.received).hasSize(1);
  }

  @Test
  void aClosedConnectionIsRemovedAndReconnectWorks() throws Exception {
    AuthenticatedPeer ab = a.connect(b);

    ab.connection().close();
    net.time.runUntilIdle();

    assertThat(a.comm.connection(b.id)).isEmpty();
    assertThat(b.comm.connection(a.id)).isEmpty();
    assertThat(a.events)
        .extracting(ConnectionEvent::type)
        .containsExactly(ConnectionEvent.Type.OPENED, ConnectionEvent.Type.CLOSED);
    assertThat(b.events)
        .extracting(ConnectionEvent::type)
        .containsExactly(ConnectionEvent.Type.OPENED, ConnectionEvent.Type.CLOSED);
    assertThat(a.comm.send(alive(a.id, 1), b.id)).isEqualTo(SendStatus.NOT_CONNECTED);

    b.recordAll();
    a.connect(b);
    assertThat(a.comm.send(alive(a.id, 2), b.id)).isEqualTo(SendStatus.QUEUED);
    net.time.runUntilIdle();
    assertThat(b.received).extracting(ReceivedMessage::senderPkiId).containsExactly(a.id);
  }

  @Test
  void aProbeAuthenticatesTheRemoteAndKeepsNoConnection() throws Exception {
    CompletableFuture<AuthenticatedPeer> probe = a.comm.probe(b.endpoint);
    net.time.runUntilIdle();

    assertThat(probe.get().pkiId()).isEqualTo(b.id);
    assertThat(probe.get().probe()).isTrue();
    net.time.advanceBy(CommFixture.CONN_TIMEOUT);
    assertThat(probe.get().connection().isOpen()).isFalse();
    assertThat(a.comm.connection(b.id)).isEmpty();
    assertThat(b.comm.connection(a.id)).isEmpty();
    assertThat(a.events).isEmpty();
    assertThat(b.events).isEmpty();
  }

  @Test
  void dialingAnEndpointNobodyListensOnFails() {
    CompletableFuture<AuthenticatedPeer> f =
        a.comm.connect(new Endpoint("nobody.example.com", 7051));
    net.time.advanceBy(CommFixture.DIAL_TIMEOUT.plus(CommFixture.CONN_TIMEOUT));

    assertThat(f).isCompletedExceptionally();
    assertThat(f)
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfAny(TransportException.class, TimeoutException.class);
  }

  @Test
  void aCommThatIsNotStartedDoesNotDial() throws Exception {
    Comm idle =
        Comm.builder()
            .transport(a.transport)
            .msp(a.msp)
            .codec(a.codec)
            .scheduler(net.time)
            .meterRegistry(a.meters)
            .build();

    assertThat(idle.connect(b.endpoint)).isCompletedExceptionally();
    assertThat(idle.listenEndpoint()).isEmpty();
    idle.start(); // dial-only: no listener
    assertThat(idle.listenEndpoint()).isEmpty();
    CompletableFuture<AuthenticatedPeer> f = idle.connect(b.endpoint);
    net.time.runUntilIdle();
    assertThat(f.get().pkiId()).isEqualTo(b.id);
    idle.stop();
  }
}
