package org.ledgergossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ledgergossip.transport.netty.NettyTests.LOCAL;
import static org.ledgergossip.transport.netty.NettyTests.TIMEOUT;
import static org.ledgergossip.transport.netty.NettyTests.options;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.tck.FrameRecorder;

/**
 * Netty's leak detector, at PARANOID level and recording through {@link RecordingLeakDetector},
 * reports nothing after traffic on both engines, including connections closed for an oversize
 * frame, refused plain-text clients and aborted dials. A deliberate leak proves the detector is
 * installed and has processed everything that became garbage before it.
 */
class LeakDetectionTest {

  private static final TestPki PKI = TestPki.create("leak-ca");
  private static final TlsCredentials SERVER = PKI.credentials("server");
  private static final TlsCredentials CLIENT = PKI.credentials("client");

  @Test
  void detectorIsParanoidAndInstalled() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    ByteBufAllocator.DEFAULT.buffer(1).release(); // makes sure a detector exists
    assertThat(RecordingLeakDetector.isInstalled()).isTrue();
  }

  @Test
  void trafficOnBothEnginesLeaksNothing() throws Exception {
    for (TlsEngine engine : TlsEngine.values()) {
      if (engine.isAvailable()) {
        workload(engine);
      }
    }
    String sentinel = RecordingLeakDetector.DELIBERATE + UUID.randomUUID();
    ByteBufAllocator.DEFAULT.buffer(8).touch(sentinel); // never released
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              System.gc();
              ByteBufAllocator.DEFAULT.buffer(1).release(); // the detector polls on allocation
              return RecordingLeakDetector.leaks().stream().anyMatch(l -> l.contains(sentinel));
            });
    List<String> leaks =
        RecordingLeakDetector.leaks().stream()
            .filter(l -> !l.contains(RecordingLeakDetector.DELIBERATE))
            .toList();
    assertThat(leaks).as("leaks reported by Netty").isEmpty();
  }

  private static void workload(TlsEngine engine) throws Exception {
    NettyTests t = new NettyTests();
    try {
      NettyTransport server = t.transport(options(SERVER, engine).maxFrameSize(4096).build());
      FrameRecorder serverFrames = new FrameRecorder();
      Listener listener = t.track(server.listen(LOCAL, c -> serverFrames));
      NettyTransport client = t.transport(options(CLIENT, engine).maxFrameSize(64 * 1024).build());
      FrameRecorder clientFrames = new FrameRecorder();
      Connection c =
          client
              .dial(listener.endpoint(), clientFrames)
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      for (int i = 0; i < 200; i++) {
        assertThat(c.send(new byte[i * 20])).isEqualTo(SendResult.QUEUED);
      }
      await().atMost(TIMEOUT).until(() -> serverFrames.frameCount() == 200);
      c.send(new byte[8192]); // above the server's limit: aborted by the server
      await().atMost(TIMEOUT).until(clientFrames::isClosed);

      try (RawTlsClient plain = RawTlsClient.plain(listener.endpoint(), 10_000)) {
        plain.write("not tls at all".getBytes(StandardCharsets.US_ASCII));
        assertThat(plain.closedByServer()).isTrue();
      }
      try (RawTlsClient raw = RawTlsClient.tls(listener.endpoint(), CLIENT, 10_000)) {
        raw.readInt();
        raw.write(new byte[] {0, 0, 0, 100, 1, 2, 3}); // a partial frame, then the socket closes
      }
      c = client.dial(listener.endpoint(), new FrameRecorder()).get(10, TimeUnit.SECONDS);
      c.send(new byte[100]);
      c.send(new byte[200]);
      // closing the transports with that connection open and frames possibly in flight
    } finally {
      t.closeAll();
    }
  }
}
