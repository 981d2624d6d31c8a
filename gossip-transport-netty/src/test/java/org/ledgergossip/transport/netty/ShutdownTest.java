package org.ledgergossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ledgergossip.transport.netty.NettyTests.LOCAL;
import static org.ledgergossip.transport.netty.NettyTests.TIMEOUT;
import static org.ledgergossip.transport.netty.NettyTests.options;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.tck.FrameRecorder;

/**
 * Closing: {@code close()} returns only when every thread of the transport has ended, also after
 * traffic on both engines; closing from a handler does not deadlock; a closed transport refuses
 * work; a pending dial fails when its transport closes; a closed listener leaves accepted
 * connections alone.
 */
class ShutdownTest {

  private static final TestPki PKI = TestPki.create("shutdown-ca");
  private static final TlsCredentials SERVER = PKI.credentials("server");
  private static final TlsCredentials CLIENT = PKI.credentials("client");

  private final NettyTests t = new NettyTests();

  @AfterEach
  void closeAll() throws Exception {
    t.closeAll();
  }

  private static List<String> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void noThreadOfTheTransportRemainsAfterClose(TlsEngine engine) throws Exception {
    NettyTests.assumeAvailable(engine);
    NettyTransport server = t.transport(options(SERVER, engine).build());
    FrameRecorder serverFrames = new FrameRecorder();
    Listener listener = server.listen(LOCAL, c -> serverFrames);
    NettyTransport client =
        t.transport(
            options(CLIENT, engine)
                .property(NettyTransportProvider.IO_THREADS_PROPERTY, "2")
                .build());
    for (int i = 0; i < 3; i++) {
      Connection c =
          client
              .dial(listener.endpoint(), new FrameRecorder())
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(c.send(new byte[] {(byte) i})).isEqualTo(SendResult.QUEUED);
    }
    await().atMost(TIMEOUT).until(() -> serverFrames.frameCount() >= 1);
    assertThat(threadsNamed(server.threadNamePrefix())).isNotEmpty();
    assertThat(threadsNamed(client.threadNamePrefix())).isNotEmpty();

    client.close();
    server.close();

    assertThat(threadsNamed(client.threadNamePrefix())).isEmpty();
    assertThat(threadsNamed(server.threadNamePrefix())).isEmpty();
    assertThat(server.connections()).isEmpty();
    assertThat(client.connections()).isEmpty();
  }

  @Test
  void closingTheTransportFromItsOwnHandlerDoesNotDeadlock() throws Exception {
    NettyTransport server = t.transport(options(SERVER, TlsEngine.auto()).build());
    ConnectionHandler closesTransport =
        new ConnectionHandler() {
          @Override
          public void onFrame(Connection connection, byte[] frame) {
            server.close();
          }

          @Override
          public void onClose(Connection connection, @Nullable Throwable cause) {}
        };
    Listener listener = server.listen(LOCAL, c -> closesTransport);
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    FrameRecorder clientFrames = new FrameRecorder();
    Connection c =
        client
            .dial(listener.endpoint(), clientFrames)
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(c.send(new byte[] {1})).isEqualTo(SendResult.QUEUED);

    await().atMost(TIMEOUT).until(clientFrames::isClosed);
    assertThat(clientFrames.closeCause()).isNull(); // orderly: close_notify was sent
    await().atMost(TIMEOUT).until(() -> threadsNamed(server.threadNamePrefix()).isEmpty());
  }

  @Test
  void closedTransportRefusesListenAndDialAndCloseIsIdempotent() throws Exception {
    NettyTransport transport = t.transport(options(SERVER, TlsEngine.auto()).build());
    transport.close();
    transport.close();

    assertThatThrownBy(() -> transport.listen(LOCAL, c -> new FrameRecorder()))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("closed");
    assertThat(transport.dial(new Endpoint("127.0.0.1", 1), new FrameRecorder()))
        .failsWithin(TIMEOUT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(TransportException.class)
        .withMessageContaining("the transport is closed");
  }

  @Test
  void closingTheTransportFailsAPendingDial() throws Exception {
    ServerSocket silent = t.track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    FrameRecorder handler = new FrameRecorder();
    CompletableFuture<Connection> dial =
        client.dial(new Endpoint("127.0.0.1", silent.getLocalPort()), handler);

    client.close();

    assertThat(dial)
        .failsWithin(TIMEOUT)
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(TransportException.class);
    assertThat(handler.closeCount()).isZero(); // the handler never had a connection
    assertThat(threadsNamed(client.threadNamePrefix())).isEmpty();
  }

  @Test
  void closingAListenerKeepsAcceptedConnectionsOpen() throws Exception {
    NettyTransport server = t.transport(options(SERVER, TlsEngine.auto()).build());
    FrameRecorder serverFrames = new FrameRecorder();
    Listener listener = server.listen(LOCAL, c -> serverFrames);
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    Connection c =
        client
            .dial(listener.endpoint(), new FrameRecorder())
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    listener.close();

    assertThat(c.send(new byte[] {7})).isEqualTo(SendResult.QUEUED);
    await().atMost(TIMEOUT).until(() -> serverFrames.frameCount() == 1);
    assertThat(client.dial(listener.endpoint(), new FrameRecorder()))
        .failsWithin(TIMEOUT)
        .withThrowableOfType(ExecutionException.class);
  }

  @Test
  void cancellingADialAbandonsItWithoutTellingTheHandler() throws Exception {
    ServerSocket silent = t.track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    FrameRecorder handler = new FrameRecorder();
    CompletableFuture<Connection> dial =
        client.dial(new Endpoint("127.0.0.1", silent.getLocalPort()), handler);
    await().atMost(TIMEOUT).until(() -> !client.connections().isEmpty());

    assertThat(dial.cancel(false)).isTrue();

    await().atMost(TIMEOUT).until(() -> client.connections().isEmpty());
    assertThat(handler.closeCount()).isZero();
    assertThat(handler.frameCount()).isZero();
  }

  @Test
  void handlerThatThrowsIsLoggedAndTheConnectionStaysOpen() throws Exception {
    NettyTransport server = t.transport(options(SERVER, TlsEngine.auto()).build());
    FrameRecorder recorder = new FrameRecorder();
    ConnectionHandler throwsOnFirst =
        new ConnectionHandler() {
          private boolean thrown;

          @Override
          public void onFrame(Connection connection, byte[] frame) {
            if (!thrown) {
              thrown = true;
              throw new IllegalStateException("deliberate failure in a test handler");
            }
            recorder.onFrame(connection, frame);
          }

          @Override
          public void onClose(Connection connection, @Nullable Throwable cause) {
            recorder.onClose(connection, cause);
          }
        };
    Listener listener = server.listen(LOCAL, c -> throwsOnFirst);
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    Connection c =
        client
            .dial(listener.endpoint(), new FrameRecorder())
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    c.send(new byte[] {1});
    c.send(new byte[] {2});

    await().atMost(TIMEOUT).until(() -> recorder.frameCount() == 1);
    assertThat(recorder.frames().get(0)).containsExactly(2);
    assertThat(c.isOpen()).isTrue();
    assertThat(recorder.isClosed()).isFalse();
  }
}
