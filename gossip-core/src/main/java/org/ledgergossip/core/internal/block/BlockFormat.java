package org.ledgergossip.core.internal.block;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;

/**
 * Fabric's block format ({@code protoutil/blockutils.go}): the header bytes, the header hash, the
 * data hash, and conversion between the API's {@link Block} and the protobuf {@code common.Block}.
 *
 * <ul>
 *   <li>Header bytes: the ASN.1 DER encoding of {@code SEQUENCE { INTEGER number, OCTET STRING
 *       previous_hash, OCTET STRING data_hash }}, the number read as unsigned 64-bit (Go's {@code
 *       asn1.Marshal} of a {@code *big.Int} set from the {@code uint64}).
 *   <li>Header hash: SHA-256 of the header bytes; block {@code n}'s {@code previous_hash} is block
 *       {@code n - 1}'s header hash.
 *   <li>Data hash: SHA-256 of the concatenation of the data entries ({@code ComputeBlockDataHash}).
 * </ul>
 *
 * <p>Stateless and thread-safe. Arguments must not be null ({@link NullPointerException}); no
 * method returns null.
 */
public final class BlockFormat {

  /**
   * Number of metadata entries Fabric's {@code NewBlock} creates: one per {@code
   * BlockMetadataIndex}.
   */
  public static final int METADATA_ENTRIES = BlockMetadataIndex.COMMIT_HASH_VALUE + 1;

  /** Deepest protobuf nesting accepted when parsing a block from the network. */
  private static final int RECURSION_LIMIT = 64;

  private BlockFormat() {}

  /**
   * The DER header bytes of a header with {@code number} (unsigned 64-bit), {@code previousHash}
   * and {@code dataHash}, exactly as Fabric's {@code BlockHeaderBytes}.
   */
  public static byte[] headerBytes(long number, Bytes previousHash, Bytes dataHash) {
    byte[] integer = unsignedMagnitude(number);
    ByteArrayOutputStream body =
        new ByteArrayOutputStream(integer.length + previousHash.size() + dataHash.size() + 16);
    writeTlv(body, 0x02, integer);
    writeTlv(body, 0x04, previousHash.toByteArray());
    writeTlv(body, 0x04, dataHash.toByteArray());
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 6);
    writeTlv(out, 0x30, body.toByteArray());
    return out.toByteArray();
  }

  /** {@link #headerBytes(long, Bytes, Bytes)} of {@code block}'s header. */
  public static byte[] headerBytes(Block block) {
    return headerBytes(block.number(), block.previousHash(), block.dataHash());
  }

  /** {@link #headerBytes(long, Bytes, Bytes)} of a protobuf header. */
  public static byte[] headerBytes(BlockHeader header) {
    return headerBytes(
        header.getNumber(),
        Bytes.copyOf(header.getPreviousHash().asReadOnlyByteBuffer()),
        Bytes.copyOf(header.getDataHash().asReadOnlyByteBuffer()));
  }

  /** SHA-256 of {@code block}'s header bytes: what the next block carries as previous hash. */
  public static Bytes headerHash(Block block) {
    return Bytes.copyOf(sha256().digest(headerBytes(block)));
  }

  /** SHA-256 of the concatenation of {@code data}, as Fabric's {@code ComputeBlockDataHash}. */
  public static Bytes dataHash(List<Bytes> data) {
    MessageDigest digest = sha256();
    for (Bytes entry : data) {
      digest.update(entry.asReadOnlyByteBuffer());
    }
    return Bytes.copyOf(digest.digest());
  }

  /**
   * An unsigned block as Fabric's {@code BlockWriter.CreateNextBlock} makes it: the given number
   * and previous hash, the data hash of {@code data}, and {@link #METADATA_ENTRIES} empty metadata
   * entries.
   *
   * @throws IllegalArgumentException if {@code number} is negative
   */
  public static Block newBlock(long number, Bytes previousHash, List<Bytes> data) {
    List<Bytes> metadata = new ArrayList<>(METADATA_ENTRIES);
    for (int i = 0; i < METADATA_ENTRIES; i++) {
      metadata.add(Bytes.EMPTY);
    }
    return new Block(number, previousHash, dataHash(data), data, metadata);
  }

  /** The protobuf {@code common.Block} of {@code block}. */
  public static org.hyperledger.fabric.protos.common.Block toProto(Block block) {
    requireNonNull(block, "block");
    BlockData.Builder data = BlockData.newBuilder();
    for (Bytes entry : block.data()) {
      data.addData(byteString(entry));
    }
    BlockMetadata.Builder metadata = BlockMetadata.newBuilder();
    for (Bytes entry : block.metadata()) {
      metadata.addMetadata(byteString(entry));
    }
    return org.hyperledger.fabric.protos.common.Block.newBuilder()
        .setHeader(
            BlockHeader.newBuilder()
                .setNumber(block.number())
                .setPreviousHash(byteString(block.previousHash()))
                .setDataHash(byteString(block.dataHash())))
        .setData(data)
        .setMetadata(metadata)
        .build();
  }

  /** The marshalled {@code common.Block} of {@code block}. */
  public static byte[] marshal(Block block) {
    return toProto(block).toByteArray();
  }

  /**
   * The API block of a protobuf block. A missing header, data or metadata reads as Fabric's Go
   * getters read it: zero and empty.
   *
   * @throws MalformedBlockException if the number does not fit a signed 64-bit value (a Go {@code
   *     uint64} above {@link Long#MAX_VALUE})
   */
  public static Block fromProto(org.hyperledger.fabric.protos.common.Block proto)
      throws MalformedBlockException {
    requireNonNull(proto, "proto");
    BlockHeader header = proto.getHeader();
    if (header.getNumber() < 0) {
      throw new MalformedBlockException(
          "block number " + Long.toUnsignedString(header.getNumber()) + " is out of range");
    }
    List<Bytes> data = new ArrayList<>(proto.getData().getDataCount());
    for (ByteString entry : proto.getData().getDataList()) {
      data.add(bytes(entry));
    }
    List<Bytes> metadata = new ArrayList<>(proto.getMetadata().getMetadataCount());
    for (ByteString entry : proto.getMetadata().getMetadataList()) {
      metadata.add(bytes(entry));
    }
    return new Block(
        header.getNumber(),
        bytes(header.getPreviousHash()),
        bytes(header.getDataHash()),
        data,
        metadata);
  }

  /**
   * Parses a marshalled {@code common.Block} received from the network.
   *
   * @throws MalformedBlockException if it is not a block
   */
  public static Block unmarshal(byte[] marshalled) throws MalformedBlockException {
    requireNonNull(marshalled, "marshalled");
    try {
      CodedInputStream in = CodedInputStream.newInstance(marshalled);
      in.setRecursionLimit(RECURSION_LIMIT);
      return fromProto(org.hyperledger.fabric.protos.common.Block.parseFrom(in));
    } catch (IOException e) {
      throw new MalformedBlockException(
          "bytes of length " + marshalled.length + " are not a common.Block: " + e.getMessage(), e);
    }
  }

  static ByteString byteString(Bytes bytes) {
    return bytes.isEmpty()
        ? ByteString.EMPTY
        : UnsafeByteOperations.unsafeWrap(bytes.toByteArray());
  }

  static Bytes bytes(ByteString bytes) {
    return bytes.isEmpty() ? Bytes.EMPTY : Bytes.copyOf(bytes.asReadOnlyByteBuffer());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Minimal two's-complement big-endian encoding of {@code value} read as unsigned. */
  private static byte[] unsignedMagnitude(long value) {
    BigInteger unsigned = new BigInteger(Long.toUnsignedString(value));
    return unsigned.toByteArray();
  }

  private static void writeTlv(ByteArrayOutputStream out, int tag, byte[] value) {
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | octets);
      for (int i = octets - 1; i >= 0; i--) {
        out.write((length >>> (8 * i)) & 0xff);
      }
    }
    out.write(value, 0, value.length);
  }
}
