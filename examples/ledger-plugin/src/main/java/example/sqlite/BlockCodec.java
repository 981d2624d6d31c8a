package example.sqlite;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;

/**
 * Converts {@link Block}s to and from Fabric's marshalled {@code common.Block} protobuf (from the
 * {@code fabric-protos} artifact): header (number, previous hash, data hash), data entries and
 * metadata entries, in order. These are the bytes the project's {@code file} store keeps as record
 * payloads and the bytes a Fabric peer stores, so a row can be read by any Fabric tool. Stateless.
 */
final class BlockCodec {

  /** Deepest protobuf nesting accepted when parsing a stored block. */
  private static final int RECURSION_LIMIT = 64;

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
   * The block marshalled in {@code bytes}.
   *
   * @throws IOException if they are not a {@code common.Block} with a number that fits a {@code
   *     long}
   */
  static Block decode(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setRecursionLimit(RECURSION_LIMIT);
    org.hyperledger.fabric.protos.common.Block proto =
        org.hyperledger.fabric.protos.common.Block.parseFrom(in);
    BlockHeader header = proto.getHeader();
    if (header.getNumber() < 0) {
      throw new IOException(
          "block number " + Long.toUnsignedString(header.getNumber()) + " is out of range");
    }
    List<Bytes> data = new ArrayList<>(proto.getData().getDataCount());
    for (ByteString entry : proto.getData().getDataList()) {
      data.add(Bytes.copyOf(entry.asReadOnlyByteBuffer()));
    }
    List<Bytes> metadata = new ArrayList<>(proto.getMetadata().getMetadataCount());
    for (ByteString entry : proto.getMetadata().getMetadataList()) {
      metadata.add(Bytes.copyOf(entry.asReadOnlyByteBuffer()));
    }
    return new Block(
        header.getNumber(),
        Bytes.copyOf(header.getPreviousHash().asReadOnlyByteBuffer()),
        Bytes.copyOf(header.getDataHash().asReadOnlyByteBuffer()),
        data,
        metadata);
  }
}
