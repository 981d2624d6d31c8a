package org.ledgergossip.statetransfer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.ledgergossip.api.Block;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.MalformedBlockException;

/**
 * The gossip {@code Payload} and {@code DataMessage} that carry a block ({@code seq_num} = block
 * number, {@code data} = the marshalled {@code common.Block}, by the core's {@link BlockFormat}).
 * Stateless.
 */
final class Blocks {

  private Blocks() {}

  /**
   * The block of a gossip {@code Payload}, checked to carry the number {@code seq_num} says.
   *
   * @throws InvalidBlockException if the data is no block or its number differs
   */
  static Block of(Payload payload) throws InvalidBlockException {
    Block block;
    try {
      block = BlockFormat.unmarshal(payload.getData().toByteArray());
    } catch (MalformedBlockException e) {
      throw new InvalidBlockException(e.getMessage(), e);
    }
    if (block.number() != payload.getSeqNum()) {
      throw new InvalidBlockException(
          "payload seq_num "
              + Long.toUnsignedString(payload.getSeqNum())
              + " carries block "
              + block.number());
    }
    return block;
  }

  /** The gossip {@code Payload} of {@code block}. */
  static Payload payload(Block block) {
    return Payload.newBuilder()
        .setSeqNum(block.number())
        .setData(UnsafeByteOperations.unsafeWrap(BlockFormat.marshal(block)))
        .build();
  }

  /** Fabric's block message: {@code GossipMessage{channel, CHAN_AND_ORG, data_msg{payload}}}. */
  static GossipMessage dataMessage(ByteString channel, Payload payload) {
    return GossipMessage.newBuilder()
        .setChannel(channel)
        .setTag(GossipMessage.Tag.CHAN_AND_ORG)
        .setDataMsg(DataMessage.newBuilder().setPayload(payload))
        .build();
  }
}
