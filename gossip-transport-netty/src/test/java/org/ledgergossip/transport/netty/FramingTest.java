package org.ledgergossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ledgergossip.transport.netty.NettyTests.LOCAL;
import static org.ledgergossip.transport.netty.NettyTests.TIMEOUT;
import static org.ledgergossip.transport.netty.NettyTests.assumeAvailable;
import static org.ledgergossip.transport.netty.NettyTests.options;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportMetrics;
import org.ledgergossip.tck.FrameRecorder;

/**
 * The wire format under abuse: length prefixes above the receiver's limit or negative, sent by a
 * hand-written TLS client, close the connection at once; the sender of an oversize frame learns
 * why; and a stuck receiver makes the sender's bounded queue refuse frames instead of growing.
 */
class FramingTest {

  private static final TestPki PKI = TestPki.create("framing-ca");
  private static final TlsCredentials SERVER = PKI.credentials("server");
  private static final TlsCredentials CLIENT = PKI.credentials("client");

  private final NettyTests t = new NettyTests();

  @AfterEach
  void closeAll() throws Exception {
    t.closeAll();
  }

  /** A server with a 1 KiB frame limit whose only accepted connection records into the result. */
  private Listener server(TlsEngine engine, FrameRecorder frames) throws Exception {
    NettyTransport server = t.transport(options(SERVER, engine).maxFrameSize(1024).build());
    return t.track(server.listen(LOCAL, c -> frames));
  }

  private static byte[] prefix(int length) {
    return ByteBuffer.allocate(4).putInt(length).array();
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void oversizeLengthPrefixClosesTheConnectionBeforeAnyPayloadArrives(TlsEngine engine)
      throws Exception {
    assumeAvailable(engine);
    FrameRecorder frames = new FrameRecorder();
    Listener listener = server(engine, frames);
    try (RawTlsClient raw = RawTlsClient.tls(listener.endpoint(), CLIENT, 10_000)) {
      assertThat(raw.readInt()).isEqualTo(ChannelBridge.GREETING);

      raw.write(prefix(Integer.MAX_VALUE)); // and never the 2 GiB it announces

      await().atMost(TIMEOUT).until(frames::isClosed);
      assertThat(frames.closeCause())
          .isInstanceOf(TransportException.class)
          .hasMessageStartingWith("frame of 2147483647 bytes exceeds the maximum of 1024 bytes");
      assertThat(frames.frameCount()).isZero();
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TlsEngine.class)
  void negativeLengthPrefixIsMalformedAndClosesTheConnection(TlsEngine engine) throws Exception {
    assumeAvailable(engine);
    FrameRecorder frames = new FrameRecorder();
    Listener listener = server(engine, frames);
    try (RawTlsClient raw = RawTlsClient.tls(listener.endpoint(), CLIENT, 10_000)) {
      assertThat(raw.readInt()).isEqualTo(ChannelBridge.GREETING);
      byte[] good = {0, 0, 0, 2, 'o', 'k'};

      raw.write(good);
      raw.write(prefix(0x80000000));

      await().atMost(TIMEOUT).until(frames::isClosed);
      assertThat(frames.frames()).singleElement().isEqualTo(new byte[] {'o', 'k'});
      assertThat(frames.closeCause())
          .isInstanceOf(TransportException.class)
          .hasMessageStartingWith("malformed frame: negative length -2147483648");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void senderOfAnOversizeFrameSeesTheCloseAsTransportException() throws Exception {
    FrameRecorder serverFrames = new FrameRecorder();
    Listener listener = server(TlsEngine.auto(), serverFrames);
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    FrameRecorder clientFrames = new FrameRecorder();
    Connection c =
        client
            .dial(listener.endpoint(), clientFrames)
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(c.send(new byte[4096])).isEqualTo(SendResult.QUEUED);

    await().atMost(TIMEOUT).until(clientFrames::isClosed);
    assertThat(clientFrames.closeCause()).isInstanceOf(TransportException.class);
    assertThat(serverFrames.closeCause())
        .hasMessageStartingWith("frame of 4096 bytes exceeds the maximum of 1024 bytes");
  }

  @Test
  void emptyFramesArriveAsEmptyArrays() throws Exception {
    FrameRecorder serverFrames = new FrameRecorder();
    Listener listener = server(TlsEngine.auto(), serverFrames);
    NettyTransport client = t.transport(options(CLIENT, TlsEngine.auto()).build());
    Connection c =
        client
            .dial(listener.endpoint(), new FrameRecorder())
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(c.send(new byte[0])).isEqualTo(SendResult.QUEUED);
    assertThat(c.send(new byte[1024])).isEqualTo(SendResult.QUEUED);

    await().atMost(TIMEOUT).until(() -> serverFrames.frameCount() == 2);
    assertThat(serverFrames.frames().get(0)).isEmpty();
    assertThat(serverFrames.frames().get(1)).hasSize(1024);
  }

  /**
   * Records numbered frames; blocks in the first one until released (a deliberately bad handler).
   */
  private static final class StuckHandler implements ConnectionHandler {
    final CountDownLatch release = new CountDownLatch(1);
    final List<Integer> numbers = new ArrayList<>();
    final AtomicBoolean first = new AtomicBoolean(true);

    @Override
    public synchronized void onFrame(Connection connection, byte[] frame) {
      numbers.add(ByteBuffer.wrap(frame).getInt());
      if (first.getAndSet(false)) {
        try {
          release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void onClose(Connection connection, @Nullable Throwable cause) {}

    synchronized List<Integer> numbers() {
      return List.copyOf(numbers);
    }
  }

  @Test
  void stuckReceiverMakesTheBoundedSendQueueRefuseFrames() throws Exception {
    StuckHandler stuck = new StuckHandler();
    NettyTransport server =
        t.transport(options(SERVER, TlsEngine.auto()).receiveQueueSize(4).build());
    Listener listener = t.track(server.listen(LOCAL, c -> stuck));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    NettyTransport client =
        t.transport(
            options(CLIENT, TlsEngine.auto()).sendQueueSize(16).meterRegistry(registry).build());
    Connection c =
        client
            .dial(listener.endpoint(), new FrameRecorder())
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    List<Integer> queued = new ArrayList<>();
    int refused = 0;
    try {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      for (int n = 0; refused < 1_000 && System.nanoTime() < deadline; n++) {
        byte[] frame = new byte[32 * 1024];
        ByteBuffer.wrap(frame).putInt(n);
        SendResult r = c.send(frame);
        if (r == SendResult.QUEUED) {
          queued.add(n);
        } else {
          assertThat(r).isEqualTo(SendResult.QUEUE_FULL);
          refused++;
        }
      }
      assertThat(refused).as("QUEUE_FULL results").isEqualTo(1_000);
      assertThat(c.droppedFrames()).isEqualTo(refused);
      assertThat(registry.counter(TransportMetrics.OVERFLOW).count()).isEqualTo(refused);
      assertThat(registry.counter(TransportMetrics.SENT).count()).isEqualTo(queued.size());
      assertThat(((NettyConnection) c).pendingFrames()).isLessThanOrEqualTo(16);
      // Bounded: kernel socket buffers, Netty's 1 MiB high-water mark and 16 queued frames.
      assertThat(queued.size()).isLessThan(2_000);
    } finally {
      stuck.release.countDown();
    }
    await().atMost(TIMEOUT).until(() -> stuck.numbers().size() == queued.size());
    assertThat(stuck.numbers()).isEqualTo(queued);
  }
}
