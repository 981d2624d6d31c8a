package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase.ALIVE_MSG;
import static org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase.DATA_MSG;
import static org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase.EMPTY;
import static org.ledgergossip.core.internal.comm.CommFixture.alive;
import static org.ledgergossip.core.internal.comm.CommFixture.data;
import static org.ledgergossip.core.internal.comm.CommFixture.ping;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.CommFixture.Node;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.transport.Connection;

/**
 * Sending and receiving through {@link Comm} on the in-memory transport with emulated TLS, in
 * virtual time: fan-out with the authenticated sender, subscriptions by kind, responses on the same
 * connection, malformed frames, unknown peers, unhandled kinds and stop.
 */
class CommMessagingTest {

  @TempDir Path dir;

  private CommFixture net;
  private Node a;
  private Node b;
  private Node c;

  @BeforeEach
  void threeConnectedNodes() throws Exception {
    net = new CommFixture(dir);
    a = net.node(1, 0);
    b = net.node(1, 1);
    c = net.node(2, 0);
    a.connect(b);
    a.connect(c);
    b.connect(c);
  }

  @AfterEach
  void close() {
    net.close();
  }

  @Test
  void aFrameSentToTwoPeersArrivesAtBothWithTheSendersAuthenticatedPkiId() throws Exception {
    b.recordAll();
    c.recordAll();
    // The message claims to be about c; the sender is still who the handshake proved: a.
    byte[] frame = alive(c.id, 1);

    Map<PkiId, SendStatus> result = a.comm.send(frame, List.of(b.id, c.id));
    net.time.runUntilIdle();

    assertThat(result)
        .containsExactly(Map.entry(b.id, SendStatus.QUEUED), Map.entry(c.id, SendStatus.QUEUED));
    for (Node receiver : List.of(b, c)) {
      assertThat(receiver.received).hasSize(1);
      ReceivedMessage m = receiver.received.get(0);
      assertThat(m.senderPkiId()).isEqualTo(a.id);
      assertThat(m.sender().identity().mspId()).isEqualTo(a.msp.localIdentity().mspId());
      assertThat(m.contentCase()).isEqualTo(ALIVE_MSG);
      assertThat(m.envelope().frame().toByteArray()).as("the bytes as sent").isEqualTo(frame);
    }
  }

  @Test
  void subscriptionsByKindReceiveOnlyTheirKind() throws Exception {
    List<ReceivedMessage> alives = new CopyOnWriteArrayList<>();
    List<ReceivedMessage> blocks = new CopyOnWriteArrayList<>();
    Subscription aliveSub = b.comm.subscribe(Comm.kindIs(ALIVE_MSG), alives::add);
    b.comm.subscribe(Comm.kindIs(DATA_MSG), blocks::add);

    a.comm.send(alive(a.id, 1), b.id);
    a.comm.send(data(1), b.id);
    a.comm.send(alive(a.id, 2), b.id);
    net.time.runUntilIdle();

    assertThat(alives)
        .extracting(ReceivedMessage::contentCase)
        .containsExactly(ALIVE_MSG, ALIVE_MSG);
    assertThat(blocks)
        .extracting(m -> m.message().getDataMsg().getPayload().getSeqNum())
        .containsExactly(1L);

    aliveSub.close();
    aliveSub.close();
    a.comm.send(alive(a.id, 3), b.id);
    net.time.runUntilIdle();
    assertThat(alives).as("a closed subscription gets nothing more").hasSize(2);
    assertThat(b.count(Comm.UNHANDLED_COUNTER, "kind", "alive_msg")).isEqualTo(1);
  }

  @Test
  void respondAnswersOnTheSameConnection() throws Exception {
    List<SendStatus> responses = new CopyOnWriteArrayList<>();
    b.comm.subscribe(
        Comm.kindIs(ALIVE_MSG), m -> responses.add(m.respond(ping(m.message().getNonce()))));
    a.recordAll();

    a.comm.send(alive(a.id, 7), b.id);
    net.time.runUntilIdle();

    assertThat(responses).containsExactly(SendStatus.QUEUED);
    assertThat(a.received).hasSize(1);
    ReceivedMessage answer = a.received.get(0);
    assertThat(answer.contentCase()).isEqualTo(EMPTY);
    assertThat(answer.message().getNonce()).isEqualTo(7);
    assertThat(answer.senderPkiId()).isEqualTo(b.id);
    assertThat(answer.sender().connection())
        .isSameAs(a.comm.connection(b.id).orElseThrow().connection());
  }

  @Test
  void aMalformedFrameAfterTheHandshakeIsCountedAndDroppedAndTheConnectionKeepsWorking()
      throws Exception {
    b.recordAll();
    Connection ab = a.comm.connection(b.id).orElseThrow().connection();

    ab.send(new byte[] {0x0a, 0x7f, 0x01}); // field 1, 127 bytes announced, 1 present
    ab.send(new byte[] {0x0a, 0x7f, 0x02}); // a second one: counted too, logged at debug
    net.time.runUntilIdle();

    assertThat(
            b.count(
                WireCodec.REJECTED_COUNTER,
                "reason",
                MalformedMessageException.Reason.MALFORMED_ENVELOPE.metricTag()))
        .isEqualTo(2);
    assertThat(b.received).isEmpty();
    assertThat(ab.isOpen()).isTrue();
    assertThat(b.comm.connection(a.id)).isPresent();

    a.comm.send(alive(a.id, 1), b.id);
    net.time.runUntilIdle();
    assertThat(b.received).extracting(ReceivedMessage::senderPkiId).containsExactly(a.id);
  }

  @Test
  void sendToAnUnknownPkiIdIsCountedNotThrown() throws Exception {
    PkiId stranger = PkiId.fromHex("ab".repeat(32));
    byte[] frame = alive(a.id, 1);

    assertThat(a.comm.send(frame, stranger)).isEqualTo(SendStatus.NOT_CONNECTED);
    assertThat(a.comm.send(frame, List.of(b.id, stranger, b.id)))
        .containsExactly(
            Map.entry(b.id, SendStatus.QUEUED), Map.entry(stranger, SendStatus.NOT_CONNECTED));

    assertThat(a.count(Comm.SEND_FAILURES_COUNTER, "reason", "not_connected")).isEqualTo(2);
    assertThat(a.count(Comm.SEND_FAILURES_COUNTER, "reason", "queue_full")).isZero();
  }

  @Test
  void aMessageNobodySubscribedToIsCountedAndDropped() throws Exception {
    List<ReceivedMessage> alives = new CopyOnWriteArrayList<>();
    b.comm.subscribe(Comm.kindIs(ALIVE_MSG), alives::add);

    a.comm.send(data(1), b.id);
    net.time.runUntilIdle();

    assertThat(alives).isEmpty();
    assertThat(b.count(Comm.UNHANDLED_COUNTER, "kind", "data_msg")).isEqualTo(1);
    assertThat(b.comm.connection(a.id))
        .as("an unwanted message is no reason to hang up")
        .isPresent();
  }

  @Test
  void stopEndsDeliveriesAndConnections() throws Exception {
    b.recordAll();
    int eventsBefore = b.events.size();

    assertThat(a.comm.send(alive(a.id, 1), b.id)).isEqualTo(SendStatus.QUEUED);
    b.comm.stop(); // before the frame is delivered
    b.comm.stop();
    net.time.runUntilIdle();

    assertThat(b.received).as("no delivery after stop").isEmpty();
    assertThat(b.events).as("no connection event after stop").hasSize(eventsBefore);
    assertThat(b.comm.connection(a.id)).isEmpty();
    assertThat(b.comm.listenEndpoint()).isEmpty();
    assertThat(a.comm.connection(b.id)).isEmpty();
    assertThat(c.comm.connection(b.id)).isEmpty();
    assertThat(a.comm.send(alive(a.id, 2), b.id)).isEqualTo(SendStatus.NOT_CONNECTED);
    assertThat(b.comm.connect(a.endpoint)).isCompletedExceptionally();
    assertThat(a.comm.connect(b.endpoint))
        .as("nobody listens any more")
        .satisfies(
            f -> {
              net.time.runUntilIdle();
              assertThat(f).isCompletedExceptionally();
            });
  }
}
