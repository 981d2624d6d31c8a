package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.gossip.AliveMessage;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.Empty;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Member;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Comm nodes on one in-memory network with TLS emulated (each node's TLS certificate from its
 * Cryptogen-made MSP folder), TLS binding on, in virtual time.
 */
final class CommFixture implements AutoCloseable {

  static final Duration CONN_TIMEOUT = Duration.ofSeconds(2);
  static final Duration DIAL_TIMEOUT = Duration.ofSeconds(3);
  static final ByteString CHANNEL = ByteString.copyFromUtf8("mychannel");

  private static int networks;

  final VirtualScheduler time = new VirtualScheduler();
  final InMemoryNetwork network;
  final CryptoLayout layout;
  private final List<Node> nodes = new ArrayList<>();

  /** One node: its MSP, transport and started comm, recording what its subscribers see. */
  final class Node {
    final Msp msp;
    final Transport transport;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final WireCodec codec = new WireCodec(1 << 20, meters);
    final Comm comm;
    final PkiId id;
    final Endpoint endpoint;
    final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

    Node(int org, int index) throws Exception {
      msp = new X509MspProvider().create(layout.mspOptions(org, index, time.clock()));
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      comm =
          Comm.builder()
              .transport(transport)
              .listen(new Endpoint(layout.peerName(org, index), 7051))
              .msp(msp)
              .codec(codec)
              .scheduler(time)
              .meterRegistry(meters)
              .connTimeout(CONN_TIMEOUT)
              .dialTimeout(DIAL_TIMEOUT)
              .tlsBinding(true)
              .build();
      comm.start();
      id = msp.localIdentity().pkiId();
      endpoint = comm.listenEndpoint().orElseThrow();
      Subscription unused = comm.subscribeConnections(events::add);
    }

    /** Records every message this node receives from now on. */
    Subscription recordAll() {
      return comm.subscribe(m -> true, received::add);
    }

    /** Dials {@code other} and runs the network until the handshake is over. */
    AuthenticatedPeer connect(Node other) throws Exception {
      CompletableFuture<AuthenticatedPeer> f = comm.connect(other.endpoint);
      time.runUntilIdle();
      assertThat(f).isCompleted();
      return f.get();
    }

    double count(String name, String tag, String value) {
      return meters.counter(name, tag, value).count();
    }
  }

  CommFixture(Path dir) throws Exception {
    network = InMemoryNetwork.builder().name("comm-" + ++networks).scheduler(time).seed(5).build();
    layout = Cryptogen.generate(dir, Cryptogen.Spec.builder().clock(time.clock()).build());
  }

  Node node(int org, int index) throws Exception {
    Node n = new Node(org, index);
    nodes.add(n);
    return n;
  }

  /** An unsigned alive message about {@code about}, as a frame. */
  static byte[] alive(PkiId about, long seq) {
    GossipMessage m =
        GossipMessage.newBuilder()
            .setNonce(seq)
            .setTag(GossipMessage.Tag.EMPTY)
            .setAliveMsg(
                AliveMessage.newBuilder()
                    .setMembership(
                        Member.newBuilder()
                            .setEndpoint("somewhere:7051")
                            .setPkiId(ByteString.copyFrom(about.bytes().toByteArray())))
                    .setTimestamp(PeerTime.newBuilder().setIncNum(1).setSeqNum(seq)))
            .build();
    return frame(m);
  }

  /** A block-carrying data message of channel {@link #CHANNEL}, as a frame. */
  static byte[] data(long seq) {
    GossipMessage m =
        GossipMessage.newBuilder()
            .setNonce(seq)
            .setChannel(CHANNEL)
            .setTag(GossipMessage.Tag.CHAN_AND_ORG)
            .setDataMsg(
                DataMessage.newBuilder()
                    .setPayload(
                        Payload.newBuilder()
                            .setSeqNum(seq)
                            .setData(ByteString.copyFromUtf8("block " + seq))))
            .build();
    return frame(m);
  }

  /** An empty (ping) message, as a frame. */
  static byte[] ping(long nonce) {
    GossipMessage m =
        GossipMessage.newBuilder()
            .setNonce(nonce)
            .setTag(GossipMessage.Tag.EMPTY)
            .setEmpty(Empty.getDefaultInstance())
            .build();
    return frame(m);
  }

  private static byte[] frame(GossipMessage m) {
    try {
      return new WireCodec(1 << 20, new SimpleMeterRegistry()).encode(m);
    } catch (MalformedMessageException e) {
      throw new AssertionError("a test message does not fit in a frame", e);
    }
  }

  @Override
  public void close() {
    nodes.forEach(n -> n.comm.stop());
    network.close();
  }
}
