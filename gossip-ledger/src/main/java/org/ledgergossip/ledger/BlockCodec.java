package org.ledgergossip.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;

/**
 * Converts {@link Block}s to and from the bytes of Fabric's {@code common.Block} protobuf: header
 * (number, previous hash, data hash), data entries and metadata entries, in order. Stateless.
 */
final class BlockCodec {

  private BlockCodec() {}

  /** The marshalled {@code common.Block} of {@code block}. */
  static byte[] encode(Block block) {
    BlockData.Builder data = BlockData.newBuilder();
    for (Bytes entry : block.data()) {
      data.addData(ByteString.copyFrom(entry.asReadOnlyByteBuffer()));
    }
    BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
    for (Bytes entry : block.metadata()) {
      metadata.addMetadata(ByteString.copyFrom(entry.asReadOnlyByteBuffer()));
    }
    return org.hyperledger.fabric.protos.common.Block.newBuilder()
        .setHeader(
            BlockHeader.newBuilder()
                .setNumber(block.number())
                .setPreviousHash(ByteString.copyFrom(block.previousHash().asReadOnlyByteBuffer()))
                .setDataHash(ByteString.copyFrom(block.dataHash().asReadOnlyByteBuffer())))
        .setData(data)
        .setMetadata(metadata)
        .build()
        .toByteArray();
  }

  /**
   * The block marshalled in {@code bytes[offset, offset + length)}.
   *
   * @throws InvalidProtocolBufferException if they are not a {@code common.Block}
   */
  static Block decode(byte[] bytes, int offset, int length) throws InvalidProtocolBufferException {
    org.hyperledger.fabric.protos.common.Block proto =
        org.hyperledger.fabric.protos.common.Block.parseFrom(
            java.nio.ByteBuffer.wrap(bytes, offset, length));
    List<Bytes> data = new ArrayList<>(proto.getData().getDataCount());
    for (ByteString entry : proto.getData().getDataList()) {
      data.add(Bytes.copyOf(entry.asReadOnlyByteBuffer()));
    }
    List<Bytes> metadata = new ArrayList<>(proto.getMetadata().getMetadataCount());
    for (ByteString entry : proto.getMetadata().getMetadataList()) {
      metadata.add(Bytes.copyOf(entry.asReadOnlyByteBuffer()));
    }
    BlockHeader header = proto.getHeader();
    return new Block(
        header.getNumber(),
        Bytes.copyOf(header.getPreviousHash().asReadOnlyByteBuffer()),
        Bytes.copyOf(header.getDataHash().asReadOnlyByteBuffer()),
        data,
        metadata);
  }
}
