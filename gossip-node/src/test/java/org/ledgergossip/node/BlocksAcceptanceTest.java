package org.ledgergossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.node.NodeFixture.CHANNEL;
import static org.ledgergossip.node.NodeFixture.FAST;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockSigner;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.core.internal.channel.ChannelMac;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.node.NodeFixture.Peer;
import org.ledgergossip.statetransfer.StateTransfer;

/**
 * The blocks issue's acceptance run, in virtual time on the in-memory network with whole nodes: an
 * ordering service signing Fabric-format blocks, one organisation of 10 peers and a static leader;
 * 1,000 blocks reach every peer, each committed exactly once and in order; a peer down for 300
 * blocks and a brand-new peer both catch up; a block signed by a peer instead of the orderer, and
 * one with a broken hash chain, are refused by every peer and counted.
 */
class BlocksAcceptanceTest {

  @TempDir Path dir;

  private static final GossipConfig LEADER =
      FAST.toBuilder().useLeaderElection(false).orgLeader(true).build();
  private static final GossipConfig FOLLOWER =
      FAST.toBuilder().useLeaderElection(false).orgLeader(false).build();

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private static byte[] dataMessage(Block block) throws Exception {
    GossipMessage m =
        GossipMessage.newBuilder()
            .setChannel(ChannelMac.channelBytes(CHANNEL))
            .setTag(GossipMessage.Tag.CHAN_AND_ORG)
            .setDataMsg(
                DataMessage.newBuilder()
                    .setPayload(
                        Payload.newBuilder()
                            .setSeqNum(block.number())
                            .setData(UnsafeByteOperations.unsafeWrap(BlockFormat.marshal(block)))))
            .build();
    return WireCodec.envelopeOf(m).toByteArray();
  }

  /** A transaction envelope of the channel, as the orderer would put in a block. */
  private Bytes tx(String s, org.ledgergossip.spi.msp.Msp signer) {
    return ChannelEnvelopes.create(
        CHANNEL,
        ChannelEnvelopes.Type.MESSAGE,
        java.time.Instant.parse("2026-01-01T00:00:00Z"),
        Bytes.copyOf(s.getBytes(StandardCharsets.UTF_8)),
        signer,
        s.getBytes(StandardCharsets.UTF_8));
  }

  private static double counter(Peer p, String name, String tag, String value) {
    var c = p.meters.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void thousandBlocksOnceInOrderCatchUpAndForgedBlocksRefused() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 11)) {
      List<Peer> peers = new ArrayList<>();
      peers.add(f.start(1, 0, LEADER));
      for (int i = 1; i < 10; i++) {
        peers.add(f.start(1, i, FOLLOWER));
      }
      Peer victim = peers.get(9);
      f.orderer.cut(100);
      assertThat(f.runUntil(() -> NodeFixture.allAt(peers, 100), Duration.ofMinutes(2))).isTrue();

      f.kill(victim);
      List<Peer> up = peers.subList(0, 9);
      f.orderer.cut(300);
      assertThat(f.runUntil(() -> NodeFixture.allAt(up, 400), Duration.ofMinutes(2))).isTrue();
      Peer back = f.restart(victim, FOLLOWER, 2);
      Peer fresh = f.start(1, 10, FOLLOWER);
      f.orderer.cut(600);
      List<Peer> all = new ArrayList<>(up);
      all.add(back);
      all.add(fresh);
      assertThat(f.runUntil(() -> NodeFixture.allAt(all, 1000), Duration.ofMinutes(5)))
          .as("every peer, the restarted and the new one included, reaches 1,000")
          .isTrue();
      for (Peer p : up) {
        assertThat(p.committed).as(p.name).isEqualTo(range(0, 1000));
      }
      assertThat(victim.committed).isEqualTo(range(0, 100));
      assertThat(back.committed).isEqualTo(range(100, 1000));
      assertThat(fresh.committed).isEqualTo(range(0, 1000));

      // Block 1000 signed by a peer instead of the orderer, and one signed by the orderer whose
      // previous hash is not block 999's: both sent by a member before the genuine 1000 exists.
      Block previous = f.orderer.block(999);
      Block forged =
          new BlockSigner(peers.get(1).msp, new Random(3))
              .sign(
                  BlockFormat.newBlock(
                      1000, BlockFormat.headerHash(previous), List.of(tx("x", peers.get(1).msp))),
                  0);
      Block unchained =
          new BlockSigner(f.ordererMsp, new Random(4))
              .sign(
                  BlockFormat.newBlock(
                      1000, Bytes.copyOf(new byte[32]), List.of(tx("y", f.ordererMsp))),
                  0);
      var forger = peers.get(1).node.running().services.comm();
      List<Peer> targets = new ArrayList<>(all);
      targets.remove(peers.get(1));
      for (Peer p : targets) {
        var unused = forger.connect(p.node.endpoint());
      }
      f.time.advanceBy(Duration.ofSeconds(1));
      for (Peer p : targets) {
        assertThat(forger.send(dataMessage(forged), p.node.self()))
            .isEqualTo(org.ledgergossip.core.internal.comm.SendStatus.QUEUED);
      }
      f.time.advanceBy(Duration.ofMillis(200));
      for (Peer p : targets) {
        forger.send(dataMessage(unchained), p.node.self());
      }
      f.time.advanceBy(Duration.ofMillis(200));
      for (Peer p : targets) {
        assertThat(counter(p, BlockVerifier.REJECTED_COUNTER, "reason", "untrusted_signer"))
            .as("block signed by a peer refused and counted by " + p.name)
            .isEqualTo(1);
        assertThat(counter(p, StateTransfer.DROPPED_COUNTER, "reason", "broken_chain"))
            .as("block breaking the hash chain refused and counted by " + p.name)
            .isEqualTo(1);
        assertThat(p.height()).isEqualTo(1000);
      }

      f.orderer.cut(1);
      assertThat(f.runUntil(() -> NodeFixture.allAt(all, 1001), Duration.ofMinutes(1))).isTrue();
      for (Peer p : all) {
        assertThat(p.committed).as(p.name).doesNotHaveDuplicates().endsWith(1000L);
      }
    }
  }
}
