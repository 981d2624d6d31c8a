package org.ledgergossip.statetransfer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;

/**
 * Our {@link Block} to and from Fabric's {@code common.Block}, and the gossip {@code Payload} and
 * {@code DataMessage} that carry one ({@code seq_num} = block number, {@code data} = the marshalled
 * block). Stateless.
 */
final class Blocks {

  private Blocks() {}

  /** Fabric's {@code common.Block} of {@code block}. */
  static org.hyperledger.fabric.protos.common.Block toProto(Block block) {
    BlockData.Builder data = BlockData.newBuilder();
    block.data().forEach(d -> data.addData(bytes(d)));
    BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
    block.metadata().forEach(m -> metadata.addMetadata(bytes(m)));
    return org.hyperledger.fabric.protos.common.Block.newBuilder()
        .setHeader(
            BlockHeader.newBuilder()
                .setNumber(block.number())
                .setPreviousHash(bytes(block.previousHash()))
                .setDataHash(bytes(block.dataHash())))
        .setData(data)
        .setMetadata(metadata)
        .build();
  }

  /**
   * The block marshalled in {@code data}.
   *
   * @throws InvalidBlockException if it is not a {@code common.Block} or has no header
   */
  static Block parse(ByteString data) throws InvalidBlockException {
    org.hyperledger.fabric.protos.common.Block proto;
    try {
      proto = org.hyperledger.fabric.protos.common.Block.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidBlockException("not a common.Block: " + e.getMessage(), e);
    }
    if (!proto.hasHeader()) {
      throw new InvalidBlockException("block without header");
    }
    BlockHeader h = proto.getHeader();
    if (h.getNumber() < 0) {
      throw new InvalidBlockException("block number " + Long.toUnsignedString(h.getNumber()));
    }
    List<Bytes> entries = new ArrayList<>(proto.getData().getDataCount());
    proto.getData().getDataList().forEach(d -> entries.add(Bytes.copyOf(d.toByteArray())));
    List<Bytes> metadata = new ArrayList<>(proto.getMetadata().getMetadataCount());
    proto.getMetadata().getMetadataList().forEach(m -> metadata.add(Bytes.copyOf(m.toByteArray())));
    return new Block(
        h.getNumber(),
        Bytes.copyOf(h.getPreviousHash().toByteArray()),
        Bytes.copyOf(h.getDataHash().toByteArray()),
        entries,
        metadata);
  }

  /**
   * The block of a gossip {@code Payload}, checked to carry the number {@code seq_num} says.
   *
   * @throws InvalidBlockException if the data is no block or its number differs
   */
  static Block of(Payload payload) throws InvalidBlockException {
    Block block = parse(payload.getData());
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
        .setData(toProto(block).toByteString())
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

  private static ByteString bytes(Bytes b) {
    return UnsafeByteOperations.unsafeWrap(b.asReadOnlyByteBuffer());
  }
}
