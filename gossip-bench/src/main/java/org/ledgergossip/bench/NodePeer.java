package org.ledgergossip.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.LeadershipEvent;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.bench.NodeNetwork.Role;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.node.NodeListener;
import org.ledgergossip.node.NodeStartException;
import org.ledgergossip.orderer.EmulatorBlockSourceProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.netty.NettyTransportProvider;

/**
 * One started {@link GossipNode} of a {@link NodeNetwork}: its transport (counted), its block
 * source (stamped), its {@link CommitLog}, and the block copies it received by gossip (counted by
 * reading each received frame of at least {@code --block-size} bytes: a pushed {@code DataMessage}
 * is one copy, a pulled {@code DataUpdate} of blocks one per block, a {@code RemoteStateResponse}
 * one per payload). Thread-safe for the readers the scenarios use.
 */
final class NodePeer {

  final int index;
  final Role role;
  final String name;
  final Endpoint endpoint;
  final Msp msp;
  final Scheduler scheduler;
  final CountingTransport transport;
  final BlockSource source;
  final GossipNode node;
  final CommitLog log;

  /** Block copies received by gossip (push, pull, state transfer), and their frames' bytes. */
  final LongAdder copies = new LongAdder();

  final LongAdder copyBytes = new LongAdder();

  /** Runs on the node's thread after each commit (the throughput scenario's cutter). */
  volatile @Nullable Runnable afterCommit;

  volatile boolean killed;

  /** When {@link #start} was called, on the JVM's clock ({@link System#nanoTime}). */
  volatile long startedAt;

  private final int minInspected;

  NodePeer(NodeNetwork net, int index, Role role, List<Endpoint> bootstrap, long startHeight)
      throws Exception {
    this.index = index;
    this.role = role;
    this.name = net.layout.peerName(1, index);
    this.endpoint = net.endpoint(index);
    this.minInspected = net.options.blockSize();
    this.log = new CommitLog(startHeight);
    msp = new X509MspProvider().create(net.layout.mspOptions(1, index, net.clock));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    scheduler = net.newPeerScheduler(index);
    TransportOptions.Builder t =
        TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).meterRegistry(meters);
    if (net.inMemory() != null && net.virtualTime() == null) {
      t.scheduler(scheduler); // this peer's handlers on its own thread, not the network's
    }
    Transport raw =
        net.inMemory() != null
            ? net.inMemory().newTransport(t.build())
            : new NettyTransportProvider().create(t.build());
    transport = new CountingTransport(raw, this::inspect);
    BlockSource emulatorSource =
        new EmulatorBlockSourceProvider()
            .create(
                new BlockSourceOptions(
                    List.of(new Endpoint("orderer.example.com", 7050)),
                    msp,
                    msp.tlsCredentials().orElseThrow(),
                    scheduler,
                    Map.of(
                        EmulatorBlockSourceProvider.NAME_PROPERTY,
                        net.emulatorName(),
                        EmulatorBlockSourceProvider.ORDERER_MSP_IDS_PROPERTY,
                        CryptoLayout.ORDERER_MSP_ID)));
    source = net.receipts.stamping(emulatorSource, index, net.clock);
    GossipConfig.Builder c =
        net.config.toBuilder()
            .externalEndpoint(endpoint)
            .bootstrap(bootstrap)
            .useLeaderElection(role == Role.ELECTED)
            .orgLeader(role == Role.LEADER);
    node =
        GossipNode.builder()
            .config(c.build())
            .listen(endpoint)
            .msp(msp)
            .transport(transport)
            .scheduler(scheduler)
            .meterRegistry(meters)
            .seed(net.options.seed() * 1000 + index)
            .incNum(1)
            .ledger("file", Map.of("file.fsync", "never"))
            .ledgerDirectory(net.ledgerDirectory(index))
            .blockSource(source)
            .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
            // In virtual time the source calls back on the node's scheduler: it must not wait.
            .ordererBackpressure(net.virtualTime() != null ? Duration.ZERO : Duration.ofSeconds(5))
            .channel(NodeNetwork.CHANNEL, net.orgs())
            .build();
    Runnable unused =
        node.addListener(
            new NodeListener() {
              @Override
              public void onCommit(String channel, Block block) {
                log.committed(block, net.nanos(), net.ordererBlock(block.number()));
                Runnable after = afterCommit;
                if (after != null) {
                  after.run();
                }
              }

              @Override
              public void onLeadership(LeadershipEvent event) {
                net.leadership.add(new NodeNetwork.LeadershipStamp(index, event, net.nanos()));
              }
            });
  }

  /** Starts the node (once). */
  void start() throws NodeStartException {
    startedAt = System.nanoTime();
    node.start();
  }

  long height() {
    return node.isRunning() ? node.height(NodeNetwork.CHANNEL) : log.next();
  }

  boolean isLeader() {
    return !killed && node.isRunning() && node.isLeader(NodeNetwork.CHANNEL);
  }

  /** Counts the block copies in a received frame; never throws. */
  private void inspect(byte[] frame) {
    if (frame.length < minInspected) {
      return;
    }
    try {
      GossipMessage m = GossipMessage.parseFrom(Envelope.parseFrom(frame).getPayload());
      int n =
          switch (m.getContentCase()) {
            case DATA_MSG -> 1;
            case DATA_UPDATE ->
                m.getDataUpdate().getMsgType() == PullMsgType.BLOCK_MSG
                    ? m.getDataUpdate().getDataCount()
                    : 0;
            case STATE_RESPONSE -> m.getStateResponse().getPayloadsCount();
            default -> 0;
          };
      if (n > 0) {
        copies.add(n);
        copyBytes.add(frame.length);
      }
    } catch (InvalidProtocolBufferException e) {
      // Not ours to judge: the node counts malformed frames itself.
    }
  }

  @Override
  public String toString() {
    return "peer" + index + (killed ? " (killed)" : "");
  }
}
