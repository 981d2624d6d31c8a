package org.ledgergossip.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ledgergossip.orderer.GrpcFixture.CHANNEL;
import static org.ledgergossip.orderer.GrpcFixture.TIMEOUT;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekNewest;
import org.hyperledger.fabric.protos.orderer.SeekOldest;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.orderer.GrpcFixture.Responses;

/** {@link OrdererServer} spoken to with raw gRPC stubs: Fabric's deliver and broadcast answers. */
class OrdererServerTest {

  private static final SeekPosition OLDEST =
      SeekPosition.newBuilder().setOldest(SeekOldest.getDefaultInstance()).build();
  private static final SeekPosition NEWEST =
      SeekPosition.newBuilder().setNewest(SeekNewest.getDefaultInstance()).build();

  @TempDir static Path dir;
  private static CryptoLayout layout;
  private GrpcFixture fx;
  private OrdererEmulator emulator;
  private AtomicBroadcastGrpc.AtomicBroadcastStub stub;
  private byte[] peerTlsHash;

  @BeforeAll
  static void generate() throws Exception {
    layout = GrpcFixture.generate(dir);
  }

  @BeforeEach
  void setUp() throws Exception {
    fx = new GrpcFixture(layout);
    emulator = fx.emulator();
    for (int i = 0; i < 4; i++) {
      emulator.submit(CHANNEL, new byte[] {(byte) i});
    }
    await().atMost(TIMEOUT).until(() -> emulator.height(CHANNEL) == 5);
    OrdererServer server = fx.server(emulator);
    stub = AtomicBroadcastGrpc.newStub(fx.channel(server.port()));
    peerTlsHash = GrpcTls.certificateHash(fx.peer.tlsCredentials().orElseThrow().certificate());
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private Envelope seek(SeekInfo info) {
    return seek(CHANNEL, info, peerTlsHash, Instant.now());
  }

  private Envelope seek(String channel, SeekInfo info, byte[] tlsHash, Instant at) {
    return SeekRequests.envelope(channel, info, fx.peer, tlsHash, at, new byte[24]);
  }

  private static SeekInfo info(SeekPosition start, SeekPosition stop, SeekInfo.SeekBehavior b) {
    return SeekInfo.newBuilder().setStart(start).setStop(stop).setBehavior(b).build();
  }

  private static List<Long> blocksThenStatus(Responses<DeliverResponse> r, Status expected)
      throws InterruptedException {
    List<Long> numbers = new ArrayList<>();
    while (true) {
      DeliverResponse next = r.next();
      if (next.hasStatus()) {
        assertThat(next.getStatus()).isEqualTo(expected);
        return numbers;
      }
      numbers.add(next.getBlock().getHeader().getNumber());
    }
  }

  private Status refusal(Envelope request) throws InterruptedException {
    Responses<DeliverResponse> r = new Responses<>();
    stub.deliver(r).onNext(request);
    DeliverResponse answer = r.next();
    assertThat(answer.hasStatus()).isTrue();
    assertThat(r.completed()).as("a refusal ends the stream").isTrue();
    return answer.getStatus();
  }

  @Test
  void seekFromOldestToNewestStreamsTheChainThenSuccessAndTheStreamTakesAnotherRequest()
      throws Exception {
    Responses<DeliverResponse> r = new Responses<>();
    StreamObserver<Envelope> requests = stub.deliver(r);
    requests.onNext(seek(info(OLDEST, NEWEST, SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)));
    assertThat(blocksThenStatus(r, Status.SUCCESS)).containsExactly(0L, 1L, 2L, 3L, 4L);
    requests.onNext(
        seek(
            info(
                SeekRequests.specified(2),
                SeekRequests.specified(3),
                SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)));
    assertThat(blocksThenStatus(r, Status.SUCCESS)).containsExactly(2L, 3L);
    requests.onCompleted();
    assertThat(r.completed()).isTrue();
    assertThat(fx.serverCount("deliver_requests_completed", "channel", CHANNEL, "success", "true"))
        .isEqualTo(2);
  }

  @Test
  void seekBeyondTheChainWaitsForBlocksUntilReady() throws Exception {
    Responses<DeliverResponse> r = new Responses<>();
    stub.deliver(r)
        .onNext(
            seek(
                info(
                    SeekRequests.specified(6),
                    SeekRequests.specified(6),
                    SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)));
    emulator.submit(CHANNEL, new byte[] {5});
    emulator.submit(CHANNEL, new byte[] {6});
    assertThat(blocksThenStatus(r, Status.SUCCESS)).containsExactly(6L);
  }

  @Test
  void failIfNotReadyBeyondTheChainIsNotFound() throws Exception {
    assertThat(
            refusal(
                seek(
                    info(
                        SeekRequests.specified(100),
                        SeekRequests.specified(SeekRequests.MAX_UINT64),
                        SeekInfo.SeekBehavior.FAIL_IF_NOT_READY))))
        .isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void unknownChannelIsNotFound() throws Exception {
    SeekInfo all = info(OLDEST, NEWEST, SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
    assertThat(refusal(seek("nochannel", all, peerTlsHash, Instant.now())))
        .isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void malformedRequestsAreBadRequests() throws Exception {
    SeekInfo all = info(OLDEST, NEWEST, SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
    byte[] otherHash =
        GrpcTls.certificateHash(fx.orderer.tlsCredentials().orElseThrow().certificate());
    assertThat(refusal(seek(CHANNEL, all, otherHash, Instant.now())))
        .as("TLS certificate hash of another certificate")
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(refusal(seek(CHANNEL, all, peerTlsHash, Instant.now().minus(Duration.ofHours(1)))))
        .as("timestamp outside the time window")
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(
            refusal(
                seek(
                    info(
                        SeekRequests.specified(3),
                        SeekRequests.specified(2),
                        SeekInfo.SeekBehavior.BLOCK_UNTIL_READY))))
        .as("stop before start")
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(
            refusal(
                Envelope.newBuilder()
                    .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 3}))
                    .build()))
        .as("not a payload")
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(fx.serverCount("deliver_requests_refused", "reason", "tls_binding")).isEqualTo(1);
    assertThat(fx.serverCount("deliver_requests_refused", "reason", "timestamp")).isEqualTo(1);
  }

  @Test
  void requestWithATamperedSignatureIsForbidden() throws Exception {
    Envelope good = seek(info(OLDEST, NEWEST, SeekInfo.SeekBehavior.BLOCK_UNTIL_READY));
    Envelope forged =
        good.toBuilder()
            .setSignature(ByteString.copyFrom(fx.peer.sign(new byte[] {1, 2, 3})))
            .build();
    assertThat(refusal(forged)).isEqualTo(Status.FORBIDDEN);
    assertThat(fx.serverCount("deliver_requests_refused", "reason", "bad_signature")).isEqualTo(1);
  }

  private Envelope transaction(String channel, String text) {
    return parse(
        ChannelEnvelopes.create(
            channel,
            ChannelEnvelopes.Type.ENDORSER_TRANSACTION,
            Instant.now(),
            Bytes.copyOf(text.getBytes(StandardCharsets.UTF_8)),
            fx.peer,
            new byte[24]));
  }

  private static Envelope parse(Bytes bytes) {
    try {
      return Envelope.parseFrom(bytes.toByteArray());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void broadcastOverGrpcOrdersSignedEnvelopesIntoBlocks() throws Exception {
    Responses<BroadcastResponse> r = new Responses<>();
    StreamObserver<Envelope> requests = stub.broadcast(r);
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Envelope tx = transaction(CHANNEL, "tx" + i);
      sent.add(tx);
      requests.onNext(tx);
      assertThat(r.next().getStatus()).isEqualTo(Status.SUCCESS);
    }
    requests.onCompleted();
    assertThat(r.completed()).isTrue();
    await().atMost(TIMEOUT).until(() -> emulator.height(CHANNEL) == 8);
    for (int i = 0; i < 3; i++) {
      assertThat(GrpcFixture.blockOf(emulator, 5 + i).data())
          .containsExactly(Bytes.copyOf(sent.get(i).toByteArray()));
    }
  }

  @Test
  void broadcastRefusalsEndTheStreamWithFabricsStatus() throws Exception {
    Responses<BroadcastResponse> unknown = new Responses<>();
    stub.broadcast(unknown).onNext(transaction("nochannel", "x"));
    assertThat(unknown.next().getStatus()).isEqualTo(Status.NOT_FOUND);
    assertThat(unknown.completed()).isTrue();

    Envelope good = transaction(CHANNEL, "y");
    Envelope forged =
        good.toBuilder().setSignature(ByteString.copyFrom(fx.peer.sign(new byte[] {9}))).build();
    Responses<BroadcastResponse> bad = new Responses<>();
    stub.broadcast(bad).onNext(forged);
    assertThat(bad.next().getStatus()).isEqualTo(Status.FORBIDDEN);
    assertThat(bad.completed()).isTrue();
    assertThat(emulator.height(CHANNEL)).isEqualTo(5);
  }
}
