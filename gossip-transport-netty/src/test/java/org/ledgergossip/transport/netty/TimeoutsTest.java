package org.ledgergossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ledgergossip.transport.netty.NettyTests.LOCAL;
import static org.ledgergossip.transport.netty.NettyTests.TIMEOUT;
import static org.ledgergossip.transport.netty.NettyTests.options;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.tck.FrameRecorder;

/**
 * Time limits: the dial timeout covers the TLS handshake, the server gives up on a client that
 * never handshakes, and {@code netty.idleTimeout} closes quiet connections.
 */
class TimeoutsTest {

  private static final TestPki PKI = TestPki.create("timeouts-ca");
  private static final TlsCredentials SERVER = PKI.credentials("server");
  private static final TlsCredentials CLIENT = PKI.credentials("client");

  private final NettyTests t = new NettyTests();

  @AfterEach
  void closeAll() throws Exception {
    t.closeAll();
  }

  @Test
  void dialToAServerThatNeverAnswersTheHandshakeFailsWithinTheDialTimeout() throws Exception {
    // The kernel completes the TCP handshake for the backlog; nobody ever speaks TLS.
    ServerSocket silent = t.track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    NettyTransport client =
        t.transport(options(CLIENT, TlsEngine.auto()).dialTimeout(Duration.ofMillis(500)).build());

    CompletableFuture<Connection> dial =
        client.dial(new Endpoint("127.0.0.1", silent.getLocalPort()), new FrameRecorder());

    assertThat(dial)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(TransportException.class)
        .withMessageContaining("dial 127.0.0.1:" + silent.getLocalPort() + " failed");
  }

  @Test
  void serverClosesAndCountsAClientThatNeverHandshakes() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NettyTransport server =
        t.transport(
            options(SERVER, TlsEngine.auto())
                .dialTimeout(Duration.ofMillis(300))
                .meterRegistry(registry)
                .build());
    Listener listener = t.track(server.listen(LOCAL, c -> new FrameRecorder()));

    try (RawTlsClient mute = RawTlsClient.plain(listener.endpoint(), 10_000)) {
      assertThat(mute.closedByServer()).isTrue();
    }

    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                registry
                        .counter(TransportMeters.HANDSHAKE_FAILURES, "reason", Failures.TIMEOUT)
                        .count()
                    == 1);
  }

  @Test
  void idleTimeoutClosesAQuietConnectionOnBothSides() throws Exception {
    NettyTransport server =
        t.transport(
            options(SERVER, TlsEngine.auto())
                .property(NettyTransportProvider.IDLE_TIMEOUT_PROPERTY, "300ms")
                .build());
    FrameRecorder serverFrames = new FrameRecorder();
    Listener listener = t.track(server.listen(LOCAL, c -> serverFrames));
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    FrameRecorder clientFrames = new FrameRecorder();
    client.dial(listener.endpoint(), clientFrames).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    await().atMost(TIMEOUT).until(() -> serverFrames.isClosed() && clientFrames.isClosed());

    assertThat(serverFrames.closeCause())
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("no traffic")
        .hasMessageContaining(NettyTransportProvider.IDLE_TIMEOUT_PROPERTY);
    assertThat(clientFrames.closeCause())
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("without a TLS close_notify");
  }
}
