package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.transport.inmemory.Recorder.frame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TransportException;

/**
 * A transport whose options name a scheduler of its own gets its frames on that scheduler, in order
 * per direction, and a frame's receive slot is freed only once its handler has run there.
 */
class OwnHandlerSchedulerTest extends VirtualNetworkTest {

  private final VirtualScheduler serverThread = new VirtualScheduler();

  @AfterEach
  void closeServerThread() {
    serverThread.close();
  }

  @Test
  void framesReachTheHandlerOnTheReceiversOwnSchedulerInOrder() throws TransportException {
    Recorder server = new Recorder();
    listening(A, server, b -> b.scheduler(serverThread));
    Recorder client = new Recorder();
    Connection c = connect(transport(), A, client);
    serverThread.runUntilIdle();
    Connection s = server.accepted().get(0);

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add("c" + i);
      assertThat(c.send(frame("c" + i))).isEqualTo(SendResult.QUEUED);
    }
    assertThat(s.send(frame("s0"))).isEqualTo(SendResult.QUEUED);
    scheduler.runUntilIdle();

    assertThat(server.frames()).as("not delivered until the server's own scheduler runs").isEmpty();
    assertThat(client.frames())
        .as("the client named no scheduler: frames on the network's")
        .containsExactly("s0");

    serverThread.runUntilIdle();
    scheduler.runUntilIdle();
    assertThat(server.frames()).containsExactlyElementsOf(sent);
  }

  @Test
  void theReceiveWindowStaysFullUntilTheOwnSchedulerHasRunTheHandlers() throws TransportException {
    Recorder server = new Recorder();
    listening(A, server, b -> b.scheduler(serverThread).receiveQueueSize(2));
    Connection c = connect(transport(), A, new Recorder());
    serverThread.runUntilIdle();

    for (int i = 0; i < 6; i++) {
      c.send(frame("c" + i));
    }
    scheduler.runUntilIdle();
    serverThread.runUntilIdle();
    assertThat(server.frames()).as("only the window of 2 was on the wire").hasSize(2);

    for (int round = 0; round < 6 && server.frames().size() < 6; round++) {
      scheduler.runUntilIdle();
      serverThread.runUntilIdle();
    }
    assertThat(server.frames()).containsExactly("c0", "c1", "c2", "c3", "c4", "c5");
  }
}
