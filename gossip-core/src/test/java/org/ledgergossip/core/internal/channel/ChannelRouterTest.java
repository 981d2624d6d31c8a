package org.ledgergossip.core.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.gossip.AliveMessage;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.Member;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.hyperledger.fabric.protos.gossip.StateInfo;
import org.hyperledger.fabric.protos.gossip.StateInfoPullRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.channel.ChannelRouter.DropReason;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** {@link ChannelRouter} behind a real {@link Comm}: two peers on an in-memory network. */
class ChannelRouterTest {

  private static int networks;

  @TempDir Path dir;

  private final VirtualScheduler time = new VirtualScheduler();
  private InMemoryNetwork network;
  private Comm sender;
  private Comm receiver;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private ChannelRouter router;
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final WireCodec codec = new WireCodec(1 << 20, new SimpleMeterRegistry());

  @BeforeEach
  void setUp() throws Exception {
    network =
        InMemoryNetwork.builder().name("router-" + ++networks).scheduler(time).seed(3).build();
    CryptoLayout layout =
        Cryptogen.generate(dir, Cryptogen.Spec.builder().orgs(1).clock(time.clock()).build());
    sender = comm(layout, 0, new SimpleMeterRegistry());
    receiver = comm(layout, 1, meters);
    router = ChannelRouter.subscribe(receiver, meters);
    CompletableFuture<AuthenticatedPeer> connected =
        sender.connect(receiver.listenEndpoint().orElseThrow());
    time.runUntilIdle();
    assertThat(connected).isCompleted();
  }

  private Comm comm(CryptoLayout layout, int index, SimpleMeterRegistry registry) throws Exception {
    Msp msp = new X509MspProvider().create(layout.mspOptions(1, index, time.clock()));
    Comm comm =
        Comm.builder()
            .transport(
                network.newTransport(
                    TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build()))
            .listen(new Endpoint(layout.peerName(1, index), 7051))
            .msp(msp)
            .codec(new WireCodec(1 << 20, registry))
            .scheduler(time)
            .meterRegistry(registry)
            .build();
    comm.start();
    return comm;
  }

  @AfterEach
  void tearDown() {
    router.close();
    sender.stop();
    receiver.stop();
    network.close();
    time.close();
  }

  private Subscription joinRecording(String channel) {
    return router.join(channel, m -> delivered.add(channel + ":" + m.contentCase()));
  }

  private void send(GossipMessage message) throws Exception {
    sender.send(codec.encode(message), receiver.self());
    time.runUntilIdle();
  }

  private static GossipMessage data(String channel) {
    return GossipMessage.newBuilder()
        .setChannel(ByteString.copyFromUtf8(channel))
        .setTag(Tag.CHAN_AND_ORG)
        .setDataMsg(
            DataMessage.newBuilder()
                .setPayload(
                    Payload.newBuilder().setSeqNum(1).setData(ByteString.copyFromUtf8("b"))))
        .build();
  }

  private static GossipMessage stateInfo(PkiId about, ByteString mac) {
    return GossipMessage.newBuilder()
        .setTag(Tag.CHAN_OR_ORG)
        .setStateInfo(
            StateInfo.newBuilder()
                .setPkiId(ByteString.copyFrom(about.bytes().toByteArray()))
                .setChannelMAC(mac)
                .setTimestamp(PeerTime.newBuilder().setIncNum(1).setSeqNum(1)))
        .build();
  }

  private static GossipMessage pullRequest(ByteString mac) {
    return GossipMessage.newBuilder()
        .setTag(Tag.CHAN_OR_ORG)
        .setStateInfoPullReq(StateInfoPullRequest.newBuilder().setChannelMAC(mac))
        .build();
  }

  private double dropped(DropReason reason) {
    return meters.counter(ChannelRouter.DROPPED_COUNTER, "reason", reason.metricTag()).count();
  }

  @Test
  void channelMessageGoesToTheHandlerOfTheChannelItNames() throws Exception {
    joinRecording("ch1");
    joinRecording("ch2");

    send(data("ch2"));
    send(data("ch1"));

    assertThat(delivered).containsExactly("ch2:DATA_MSG", "ch1:DATA_MSG");
    assertThat(router.channels()).containsExactlyInAnyOrder("ch1", "ch2");
  }

  @Test
  void messageForUnjoinedChannelIsDroppedAndCounted() throws Exception {
    joinRecording("ch1");

    send(data("other"));
    send(data(""));

    assertThat(delivered).isEmpty();
    assertThat(dropped(DropReason.UNKNOWN_CHANNEL)).isEqualTo(2);
    assertThat(router.droppedCount(DropReason.UNKNOWN_CHANNEL)).isEqualTo(2);
    assertThat(meters.counter(Comm.UNHANDLED_COUNTER, "kind", "data_msg").count()).isZero();
  }

  @Test
  void stateInfoIsRoutedByTheMacOfThePeerItSpeaksFor() throws Exception {
    joinRecording("ch1");
    PkiId third = PkiId.fromHex("abcdef");

    send(stateInfo(third, ChannelMac.of(third, "ch1")));
    send(stateInfo(third, ChannelMac.of(third, "ch2")));
    send(stateInfo(third, ChannelMac.of(sender.self(), "ch1")));
    send(stateInfo(third, ByteString.copyFromUtf8("short")));

    assertThat(delivered).containsExactly("ch1:STATE_INFO");
    assertThat(dropped(DropReason.UNKNOWN_MAC)).isEqualTo(3);
  }

  @Test
  void stateInfoPullRequestIsRoutedByTheMacOfItsAuthenticatedSender() throws Exception {
    joinRecording("ch1");

    send(pullRequest(ChannelMac.of(sender.self(), "ch1")));
    send(pullRequest(ChannelMac.of(receiver.self(), "ch1")));

    assertThat(delivered).containsExactly("ch1:STATE_INFO_PULL_REQ");
    assertThat(dropped(DropReason.UNKNOWN_MAC)).isEqualTo(1);
  }

  @Test
  void leavingAChannelDropsItsMessagesAgain() throws Exception {
    Subscription joined = joinRecording("ch1");
    send(data("ch1"));

    joined.close();
    send(data("ch1"));

    assertThat(delivered).containsExactly("ch1:DATA_MSG");
    assertThat(router.isJoined("ch1")).isFalse();
    assertThat(dropped(DropReason.UNKNOWN_CHANNEL)).isEqualTo(1);
    // The channel can be joined again.
    joinRecording("ch1");
    send(data("ch1"));
    assertThat(delivered).hasSize(2);
  }

  @Test
  void messagesWithoutChannelTagAreLeftToOtherSubscribers() throws Exception {
    joinRecording("ch1");
    List<ContentCase> others = new CopyOnWriteArrayList<>();
    Subscription unused =
        receiver.subscribe(Comm.kindIs(ContentCase.ALIVE_MSG), m -> others.add(m.contentCase()));

    send(
        GossipMessage.newBuilder()
            .setTag(Tag.EMPTY)
            .setAliveMsg(
                AliveMessage.newBuilder()
                    .setMembership(Member.newBuilder().setPkiId(ByteString.copyFromUtf8("someone")))
                    .setTimestamp(PeerTime.newBuilder().setIncNum(1).setSeqNum(1)))
            .build());

    assertThat(others).containsExactly(ContentCase.ALIVE_MSG);
    assertThat(delivered).isEmpty();
    assertThat(dropped(DropReason.UNKNOWN_CHANNEL) + dropped(DropReason.UNKNOWN_MAC)).isZero();
  }

  @Test
  void aChannelCannotBeJoinedTwiceNorHaveAnEmptyName() {
    joinRecording("ch1");
    assertThatThrownBy(() -> joinRecording("ch1")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> joinRecording("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closedRouterNoLongerTakesChannelMessages() throws Exception {
    joinRecording("ch1");
    router.close();

    send(data("ch1"));

    assertThat(delivered).isEmpty();
    assertThat(meters.counter(Comm.UNHANDLED_COUNTER, "kind", "data_msg").count()).isEqualTo(1);
  }

  @Test
  void closingAJoinTwiceIsHarmlessAndLeavesARejoinAlone() {
    Subscription first = router.join("x", (ReceivedMessage m) -> {});
    first.close();
    Subscription second = joinRecording("x");
    first.close();
    assertThat(router.isJoined("x")).isTrue();
    second.close();
    assertThat(router.isJoined("x")).isFalse();
  }
}
