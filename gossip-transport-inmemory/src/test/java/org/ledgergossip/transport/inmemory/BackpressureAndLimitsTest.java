package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.transport.inmemory.Recorder.frame;
import static org.ledgergossip.transport.inmemory.Recorder.handler;
import static org.ledgergossip.transport.inmemory.Recorder.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportMetrics;

class BackpressureAndLimitsTest extends VirtualNetworkTest {

  @Test
  void aFullSendQueueReturnsQueueFullAndCountsTheDrop() throws TransportException {
    Recorder server = new Recorder();
    listening(A, server, b -> b.receiveQueueSize(2));
    Connection c = connect(transport(b -> b.sendQueueSize(3)), A, new Recorder());

    List<SendResult> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(c.send(frame("f" + i)));
    }

    // 2 frames fill the receiver's window, 3 wait in the send queue, the rest are dropped.
    assertThat(results.subList(0, 5)).containsOnly(SendResult.QUEUED);
    assertThat(results.subList(5, 10)).containsOnly(SendResult.QUEUE_FULL);
    assertThat(c.droppedFrames()).isEqualTo(5);
    assertThat(counter(TransportMetrics.OVERFLOW)).isEqualTo(5);

    scheduler.runUntilIdle();
    assertThat(server.frames()).containsExactly("f0", "f1", "f2", "f3", "f4");
    assertThat(c.send(frame("again"))).isEqualTo(SendResult.QUEUED);
  }

  @Test
  void framesLeaveTheSendQueueOnlyAsTheReceiverFreesRoom() throws TransportException {
    network.faults().delay(Duration.ofMillis(10), Duration.ofMillis(10));
    Recorder server = new Recorder();
    listening(A, server, b -> b.receiveQueueSize(2));
    Connection c = connect(transport(), A, new Recorder());

    for (int i = 0; i < 6; i++) {
      assertThat(c.send(frame("f" + i))).isEqualTo(SendResult.QUEUED);
    }

    scheduler.advanceBy(Duration.ofMillis(10));
    assertThat(server.frames()).containsExactly("f0", "f1");
    scheduler.advanceBy(Duration.ofMillis(10));
    assertThat(server.frames()).hasSize(4);
    scheduler.advanceBy(Duration.ofMillis(10));
    assertThat(server.frames()).containsExactly("f0", "f1", "f2", "f3", "f4", "f5");
  }

  @Test
  void aHandlerThatSendsBackDoesNotOverflowAnything() throws TransportException {
    List<String> echoed = new ArrayList<>();
    transport().listen(A, accepted -> handler(Connection::send));
    ConnectionHandler client = handler((connection, frame) -> echoed.add(text(frame)));
    Connection c = connect(transport(), A, client);

    for (int i = 0; i < 100; i++) {
      c.send(frame("e" + i));
    }
    scheduler.runUntilIdle();

    assertThat(echoed).hasSize(100).startsWith("e0").endsWith("e99");
    assertThat(c.droppedFrames()).isZero();
  }

  @Test
  void aFrameLargerThanTheSendersLimitIsRefused() throws TransportException {
    Recorder server = new Recorder();
    listening(A, server);
    Connection c = connect(transport(b -> b.maxFrameSize(100)), A, new Recorder());

    assertThat(c.send(new byte[101])).isEqualTo(SendResult.TOO_LARGE);
    assertThat(c.send(new byte[100])).isEqualTo(SendResult.QUEUED);
    scheduler.runUntilIdle();

    assertThat(server.frames()).hasSize(1);
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void aFrameLargerThanTheReceiversLimitClosesTheConnectionWithoutDeliveringIt()
      throws TransportException {
    Recorder server = new Recorder();
    listening(A, server, b -> b.maxFrameSize(100));
    Recorder client = new Recorder();
    Connection c = connect(transport(b -> b.maxFrameSize(1000)), A, client);

    c.send(frame("small"));
    assertThat(c.send(new byte[200])).isEqualTo(SendResult.QUEUED);
    c.send(frame("never"));
    scheduler.runUntilIdle();

    assertThat(server.frames()).containsExactly("small");
    assertThat(server.closes())
        .singleElement()
        .isInstanceOf(TransportException.class)
        .satisfies(
            e ->
                assertThat(e)
                    .hasMessageStartingWith("frame of 200 bytes exceeds the maximum of 100 bytes"));
    assertThat(client.closes()).singleElement().isInstanceOf(TransportException.class);
    assertThat(c.isOpen()).isFalse();
    assertThat(server.violations()).isEmpty();
  }
}
