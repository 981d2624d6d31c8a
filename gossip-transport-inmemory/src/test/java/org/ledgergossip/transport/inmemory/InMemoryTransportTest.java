package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.transport.inmemory.Recorder.frame;
import static org.ledgergossip.transport.inmemory.Recorder.handler;
import static org.ledgergossip.transport.inmemory.Recorder.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportMetrics;
import org.ledgergossip.spi.transport.TransportOptions;

class InMemoryTransportTest extends VirtualNetworkTest {

  @Test
  void framesArriveInOrderInBothDirections() throws TransportException {
    Recorder server = new Recorder();
    listening(A, server);
    Recorder client = new Recorder();
    Connection c = connect(transport(), A, client);
    Connection s = server.accepted().get(0);

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      sent.add("c" + i);
      assertThat(c.send(frame("c" + i))).isEqualTo(SendResult.QUEUED);
      assertThat(s.send(frame("s" + i))).isEqualTo(SendResult.QUEUED);
    }
    scheduler.runUntilIdle();

    assertThat(server.frames()).containsExactlyElementsOf(sent);
    assertThat(client.frames()).hasSize(15).startsWith("s0", "s1").endsWith("s14");
    assertThat(counter(TransportMetrics.SENT)).isEqualTo(30);
    assertThat(counter(TransportMetrics.RECEIVED)).isEqualTo(30);
  }

  @Test
  void endpointsAndRolesOfBothSides() throws TransportException {
    Recorder server = new Recorder();
    listening(A, server);
    Transport anonymous = transport();
    Connection fromAnonymous = connect(anonymous, A, new Recorder());
    Transport listeningDialler = listening(B, new Recorder());
    Connection fromB = connect(listeningDialler, A, new Recorder());

    assertThat(fromAnonymous.isClient()).isTrue();
    assertThat(fromAnonymous.remoteEndpoint()).isEqualTo(A);
    assertThat(fromAnonymous.localEndpoint().host()).startsWith("inmemory-client-");
    assertThat(fromAnonymous.localEndpoint().port()).isZero();
    assertThat(fromB.localEndpoint()).isEqualTo(B);

    Connection accepted = server.accepted().get(1);
    assertThat(accepted.isClient()).isFalse();
    assertThat(accepted.localEndpoint()).isEqualTo(A);
    assertThat(accepted.remoteEndpoint()).isEqualTo(B);
    assertThat(accepted.peerCertificate()).isEmpty();
    assertThat(accepted.localCertificate()).isEmpty();
  }

  @Test
  void dialToAnEndpointNobodyListensOnIsRefusedOnTheNextTurn() {
    CompletableFuture<Connection> dial = transport().dial(B, new Recorder());
    assertThat(dial).isNotDone();

    scheduler.runUntilIdle();

    assertThat(dial)
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(TransportException.class)
        .withMessage("dial b:7051 failed: connection refused");
    assertThat(scheduler.clock().nanoTime()).isZero();
  }

  @Test
  void listeningOnABoundEndpointFailsNamingIt() throws TransportException {
    transport().listen(A, new Recorder());

    assertThatThrownBy(() -> transport().listen(A, new Recorder()))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("a:7051")
        .hasMessageContaining("already in use");
  }

  @Test
  void portZeroBindsAFreePortUniqueForTheHost() throws TransportException {
    Transport t = transport();
    Listener first = t.listen(new Endpoint("h", 0), new Recorder());
    Listener second = t.listen(new Endpoint("h", 0), new Recorder());

    assertThat(first.endpoint().port()).isPositive();
    assertThat(second.endpoint().port()).isPositive().isNotEqualTo(first.endpoint().port());
    assertThat(first.endpoint().host()).isEqualTo("h");
    assertThat(connect(transport(), second.endpoint(), new Recorder()).remoteEndpoint())
        .isEqualTo(second.endpoint());
  }

  @Test
  void closeFromEitherSideIsSeenOnceByBothAfterTheLastFrame() throws TransportException {
    Recorder server = new Recorder();
    listening(A, server);
    Recorder client = new Recorder();
    Connection c = connect(transport(), A, client);
    Connection s = server.accepted().get(0);

    c.send(frame("last"));
    s.close();
    s.close();
    c.close();
    assertThat(c.isOpen()).isFalse();
    assertThat(s.isOpen()).isFalse();
    scheduler.runUntilIdle();

    assertThat(server.closes()).containsExactly((Throwable) null);
    assertThat(client.closes()).containsExactly((Throwable) null);
    assertThat(server.violations()).isEmpty();
    assertThat(c.closeFuture()).isCompleted();
    assertThat(s.closeFuture()).isCompleted();
    assertThat(c.send(frame("after"))).isEqualTo(SendResult.CLOSED);
  }

  @Test
  void closingATransportClosesItsConnectionsAndListeners() throws TransportException {
    Recorder server = new Recorder();
    Transport serverTransport = listening(A, server);
    Recorder client = new Recorder();
    Connection c = connect(transport(), A, client);

    serverTransport.close();
    serverTransport.close();
    scheduler.runUntilIdle();

    assertThat(c.isOpen()).isFalse();
    assertThat(client.closes()).containsExactly((Throwable) null);
    assertThat(server.closes()).containsExactly((Throwable) null);
    CompletableFuture<Connection> again = transport().dial(A, new Recorder());
    scheduler.runUntilIdle();
    assertThat(again).isCompletedExceptionally();
    assertThatThrownBy(() -> serverTransport.listen(B, new Recorder()))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("b:7051");
  }

  @Test
  void closingAListenerKeepsAcceptedConnectionsOpen() throws TransportException {
    Recorder server = new Recorder();
    Transport t = transport();
    Listener listener = t.listen(A, server);
    Connection c = connect(transport(), A, new Recorder());

    listener.close();
    listener.close();
    c.send(frame("still"));
    scheduler.runUntilIdle();

    assertThat(server.frames()).containsExactly("still");
    CompletableFuture<Connection> refused = transport().dial(A, new Recorder());
    scheduler.runUntilIdle();
    assertThat(refused).isCompletedExceptionally();
    t.listen(A, server);
    connect(transport(), A, new Recorder());
  }

  @Test
  void anAcceptorThatThrowsFailsTheDial() throws TransportException {
    transport()
        .listen(
            A,
            connection -> {
              throw new IllegalStateException("refusing (expected by the test)");
            });

    CompletableFuture<Connection> dial = transport().dial(A, new Recorder());
    scheduler.runUntilIdle();

    assertThat(dial).isCompletedExceptionally();
  }

  @Test
  void aThrowingHandlerDoesNotCloseTheConnection() throws TransportException {
    List<String> seen = new ArrayList<>();
    transport()
        .listen(
            A,
            accepted ->
                handler(
                    (connection, frame) -> {
                      seen.add(text(frame));
                      throw new IllegalStateException("handler bug (expected by the test)");
                    }));
    Connection c = connect(transport(), A, new Recorder());

    c.send(frame("1"));
    c.send(frame("2"));
    scheduler.runUntilIdle();

    assertThat(seen).containsExactly("1", "2");
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void networksAreRegisteredByNameOnlyWhileOpen() {
    VirtualScheduler s = new VirtualScheduler();
    InMemoryNetwork named = InMemoryNetwork.builder().name("registry-test").scheduler(s).build();

    assertThat(InMemoryNetwork.lookup("registry-test")).containsSame(named);
    assertThatThrownBy(() -> InMemoryNetwork.builder().name("registry-test").scheduler(s).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("registry-test");

    named.close();
    assertThat(InMemoryNetwork.lookup("registry-test")).isEmpty();
    assertThat(named.isOpen()).isFalse();
    assertThatThrownBy(() -> named.newTransport(TransportOptions.builder().build()))
        .isInstanceOf(IllegalStateException.class);
    InMemoryNetwork.builder().name("registry-test").scheduler(s).build().close();
  }

  @Test
  void twoNetworksAreIndependent() throws TransportException {
    InMemoryNetwork other = InMemoryNetwork.builder().scheduler(scheduler).build();
    try {
      other.newTransport(TransportOptions.builder().build()).listen(A, new Recorder());
      transport().listen(A, new Recorder());

      CompletableFuture<Connection> dial = transport().dial(A, new Recorder());
      scheduler.runUntilIdle();
      assertThat(dial).isCompleted();
    } finally {
      other.close();
    }
  }
}
