package org.ledgergossip.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ledgergossip.orderer.GrpcFixture.CHANNEL;
import static org.ledgergossip.orderer.GrpcFixture.TIMEOUT;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Providers;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.orderer.GrpcFixture.LiveRecorder;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.ledgergossip.spi.orderer.BlockSourceProvider;
import org.ledgergossip.spi.transport.TlsCredentials;

/** The {@code deliver} block source against {@link OrdererServer} over real mutual TLS. */
class DeliverBlockSourceTest {

  @TempDir static Path dir;
  private static CryptoLayout layout;
  private GrpcFixture fx;
  private OrdererEmulator emulator;

  @BeforeAll
  static void generate() throws Exception {
    layout = GrpcFixture.generate(dir);
  }

  @BeforeEach
  void setUp() throws Exception {
    fx = new GrpcFixture(layout);
    emulator = fx.emulator();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private void submit(int count) {
    for (int i = 0; i < count; i++) {
      assertThat(emulator.submit(CHANNEL, ("tx" + i).getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(BroadcastStatus.SUCCESS);
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void deliverIsTheHighestPriorityBlockSource() {
    assertThat(Providers.load(BlockSourceProvider.class))
        .isInstanceOf(DeliverBlockSourceProvider.class);
  }

  @Test
  void unusablePropertiesAreRefusedNamingTheOption() {
    DeliverBlockSourceProvider provider = new DeliverBlockSourceProvider();
    for (var bad :
        List.of(
            Map.of(DeliverBlockSourceProvider.ORDERER_MSP_IDS_PROPERTY, " , "),
            Map.of(DeliverBlockSourceProvider.REQUIRED_SIGNATURES_PROPERTY, "0"),
            Map.of(DeliverBlockSourceProvider.SERVER_NAME_OVERRIDE_PROPERTY, " "))) {
      assertThatThrownBy(
              () ->
                  provider.create(
                      new BlockSourceOptions(
                          List.of(new Endpoint("127.0.0.1", 7050)),
                          fx.peer,
                          fx.peer.tlsCredentials().orElseThrow(),
                          fx.clientTime,
                          bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.keySet().iterator().next());
    }
  }

  @Test
  void clientReceivesVerifiedBlocksInOrderFromTheRequestedHeightThenLiveOnes() throws Exception {
    submit(80); // more than one pump's chunk
    OrdererServer server = fx.server(emulator);
    BlockSource source = fx.source(List.of(server.endpoint()));
    LiveRecorder fromZero = new LiveRecorder();
    LiveRecorder fromFive = new LiveRecorder();
    source.subscribe(CHANNEL, 0, fromZero);
    source.subscribe(CHANNEL, 5, fromFive);
    await().atMost(TIMEOUT).until(() -> fromZero.blocks.size() == 81);
    submit(5);
    await().atMost(TIMEOUT).until(() -> fromZero.blocks.size() == 86);
    await().atMost(TIMEOUT).until(() -> fromFive.blocks.size() == 81);
    assertThat(fromZero.numbers()).isEqualTo(range(0, 85));
    assertThat(fromFive.numbers()).isEqualTo(range(5, 85));
    assertThat(fromZero.failures).isEmpty();
    assertThat(fromZero.blocks.get(85)).isEqualTo(emulator.block(CHANNEL, 85).orElseThrow());
    assertThat(fx.serverCount("deliver_blocks_sent", "channel", CHANNEL)).isEqualTo(86 + 81);
    assertThat(server.deliverStreams()).isEqualTo(2);
  }

  @Test
  void subscriptionResumesFromTheNextHeightAfterTheOrdererRestarts() throws Exception {
    submit(5);
    OrdererServer first = fx.server(emulator);
    int port = first.port();
    LiveRecorder r = new LiveRecorder();
    fx.source(List.of(first.endpoint())).subscribe(CHANNEL, 0, r);
    await().atMost(TIMEOUT).until(() -> r.blocks.size() == 6);

    first.close();
    submit(5); // cut while the orderer's gRPC front is down
    await().atMost(TIMEOUT).until(() -> r.failures.size() >= 3);
    fx.server(emulator, port);
    await().atMost(TIMEOUT).until(() -> r.blocks.size() == 11);

    assertThat(r.numbers()).isEqualTo(range(0, 10));
    assertThat(r.failures.get(0))
        .isInstanceOfSatisfying(
            DeliverStatusException.class,
            e -> assertThat(e.statusName()).isEqualTo("SERVICE_UNAVAILABLE"));
    assertThat(r.failures.subList(1, r.failures.size()))
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        s ->
                            assertThat(s.getStatus().getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE)));
    // Back-off 100, 200, 400 ms...: each report says delivery has been failing for longer.
    assertThat(r.failingFor).isSorted();
    assertThat(r.failingFor.get(r.failingFor.size() - 1)).isGreaterThanOrEqualTo(300);
  }

  @Test
  void unreachableOrdererIsReportedAndTheNextEndpointIsTried() throws Exception {
    submit(2);
    OrdererServer server = fx.server(emulator);
    int deadPort;
    try (ServerSocket probe =
        new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      deadPort = probe.getLocalPort(); // nothing listens there once the probe is closed
    }
    LiveRecorder r = new LiveRecorder();
    fx.source(List.of(new Endpoint("127.0.0.1", deadPort), server.endpoint()))
        .subscribe(CHANNEL, 0, r);
    await().atMost(TIMEOUT).until(() -> r.blocks.size() == 3);
    assertThat(r.numbers()).containsExactly(0L, 1L, 2L);
    assertThat(r.failures)
        .singleElement()
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void clientWithACertificateOfAnUntrustedCaIsRefusedTheHandshake() throws Exception {
    OrdererServer server = fx.server(emulator);
    IssuedIdentity intruder = GrpcFixture.foreign();
    TlsCredentials peerTls = fx.peer.tlsCredentials().orElseThrow();
    TlsCredentials untrusted =
        new TlsCredentials(
            intruder.privateKey(), List.of(intruder.certificate()), peerTls.trustedCertificates());
    LiveRecorder r = new LiveRecorder();
    fx.source(List.of(server.endpoint()), fx.peer, untrusted).subscribe(CHANNEL, 0, r);
    await().atMost(TIMEOUT).until(() -> r.failures.size() >= 2);
    assertThat(r.blocks).isEmpty();
    assertThat(r.failures)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        s ->
                            assertThat(s.getStatus().getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE)));
    assertThat(fx.serverCount("deliver_streams_opened")).isZero();
  }

  @Test
  void requestSignedByAnIdentityOfAnUntrustedCaIsForbidden() throws Exception {
    OrdererServer server = fx.server(emulator);
    LiveRecorder r = new LiveRecorder();
    fx.source(
            List.of(server.endpoint()),
            GrpcFixture.signingAs(GrpcFixture.foreign(), fx.peer),
            fx.peer.tlsCredentials().orElseThrow())
        .subscribe(CHANNEL, 0, r);
    await().atMost(TIMEOUT).until(() -> r.failures.size() >= 2);
    assertThat(r.blocks).isEmpty();
    assertThat(r.failures)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        DeliverStatusException.class, d -> assertThat(d.status()).isEqualTo(403)));
    assertThat(fx.serverCount("deliver_requests_refused", "reason", "untrusted_creator"))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void unknownChannelIsReportedAsNotFoundAndRetried() throws Exception {
    OrdererServer server = fx.server(emulator);
    LiveRecorder r = new LiveRecorder();
    fx.source(List.of(server.endpoint())).subscribe("nochannel", 0, r);
    await().atMost(TIMEOUT).until(() -> r.failures.size() >= 2);
    assertThat(r.failures)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        DeliverStatusException.class,
                        d -> {
                          assertThat(d.status()).isEqualTo(404);
                          assertThat(d.getMessage()).contains("nochannel");
                        }));
    assertThat(fx.clientMetrics.find("deliver_client_failures").tag("reason", "status_not_found"))
        .satisfies(s -> assertThat(s.counter().count()).isGreaterThanOrEqualTo(2));
  }

  @Test
  void blockWithABrokenPreviousHashIsRefusedAndNeverReachesTheListener() throws Exception {
    tamperedBlockIsRefused(
        b ->
            new Block(b.number(), Bytes.copyOf(new byte[32]), b.dataHash(), b.data(), b.metadata()),
        "broken_chain");
  }

  @Test
  void blockWithAForgedSignatureIsRefusedAndNeverReachesTheListener() throws Exception {
    tamperedBlockIsRefused(
        b -> {
          try {
            Metadata md = Metadata.parseFrom(b.signaturesMetadata().toByteArray());
            byte[] other = fx.orderer.sign("not this block".getBytes(StandardCharsets.UTF_8));
            Metadata forged =
                md.toBuilder()
                    .setSignatures(
                        0, md.getSignatures(0).toBuilder().setSignature(ByteString.copyFrom(other)))
                    .build();
            List<Bytes> metadata = new ArrayList<>(b.metadata());
            metadata.set(Block.SIGNATURES_METADATA_INDEX, Bytes.copyOf(forged.toByteArray()));
            return new Block(b.number(), b.previousHash(), b.dataHash(), b.data(), metadata);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        "bad_signature");
  }

  /** A test double serves the emulator's blocks from the requested start, block 2 tampered. */
  private void tamperedBlockIsRefused(UnaryOperator<Block> tamper, String reason) throws Exception {
    submit(3);
    List<Long> requestedStarts = new CopyOnWriteArrayList<>();
    Server server =
        fx.serve(
            new AtomicBroadcastGrpc.AtomicBroadcastImplBase() {
              @Override
              public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> out) {
                return new StreamObserver<>() {
                  @Override
                  public void onNext(Envelope request) {
                    long start;
                    try {
                      SeekInfo info =
                          SeekInfo.parseFrom(Payload.parseFrom(request.getPayload()).getData());
                      start = info.getStart().getSpecified().getNumber();
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                    requestedStarts.add(start);
                    for (long n = start; n < emulator.height(CHANNEL); n++) {
                      Block b = GrpcFixture.blockOf(emulator, n);
                      Block sent = n == 2 ? tamper.apply(b) : b;
                      out.onNext(
                          DeliverResponse.newBuilder().setBlock(BlockFormat.toProto(sent)).build());
                    }
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {
                    out.onCompleted();
                  }
                };
              }
            });
    LiveRecorder r = new LiveRecorder();
    fx.source(List.of(new Endpoint("127.0.0.1", server.getPort()))).subscribe(CHANNEL, 0, r);
    await().atMost(TIMEOUT).until(() -> r.failures.size() >= 2);
    assertThat(r.numbers()).containsExactly(0L, 1L);
    assertThat(r.failures)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        BlockRejectedException.class,
                        b -> {
                          assertThat(b.blockNumber()).isEqualTo(2);
                          assertThat(b.reason()).isEqualTo(reason);
                        }));
    assertThat(requestedStarts.subList(0, 2)).containsExactly(0L, 2L);
    assertThat(fx.clientMetrics.find("gossip_block_rejected_total").tag("reason", reason))
        .satisfies(s -> assertThat(s.counter().count()).isGreaterThanOrEqualTo(2));
  }

  @Test
  void closingTheSubscriptionInterruptsABlockedListenerAndNoCallbackFollows() throws Exception {
    submit(5);
    OrdererServer server = fx.server(emulator);
    CountDownLatch blocked = new CountDownLatch(1);
    List<Long> seen = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    BlockSource.Subscription s =
        fx.source(List.of(server.endpoint()))
            .subscribe(
                CHANNEL,
                0,
                new BlockSource.Listener() {
                  @Override
                  public void onBlock(Block block) {
                    seen.add(block.number());
                    if (block.number() == 2) {
                      blocked.countDown();
                      try {
                        new CountDownLatch(1).await(1, TimeUnit.MINUTES); // backpressure
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                  }

                  @Override
                  public void onFailure(Throwable cause, long failingFor) {
                    failures.add(cause);
                  }
                });
    assertThat(blocked.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    // The listener holds block 2: the client asked for no more, so it has seen nothing past it.
    assertThat(seen).containsExactly(0L, 1L, 2L);
    s.close();
    int after = seen.size();
    submit(3);
    await().atMost(TIMEOUT).until(() -> emulator.height(CHANNEL) == 9);
    await().atMost(TIMEOUT).until(() -> server.deliverStreams() == 0);
    assertThat(seen).hasSize(after);
    assertThat(failures).isEmpty();
  }
}
