package org.ledgergossip.core.internal.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;

/**
 * The header bytes, header hash and data hash against values derived independently: DER built with
 * BouncyCastle's ASN.1 classes, and hashes computed outside Java (Python's {@code hashlib}).
 */
class BlockFormatTest {

  private static Bytes ascii(String s) {
    return Bytes.copyOf(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** Header bytes as Go's asn1.Marshal writes them, built with BouncyCastle. */
  private static byte[] bouncyCastleHeader(BigInteger number, byte[] previous, byte[] data)
      throws Exception {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(number));
    v.add(new DEROctetString(previous));
    v.add(new DEROctetString(data));
    return new DERSequence(v).getEncoded(ASN1Encoding.DER);
  }

  @Test
  void genesisHeaderWithEmptyHashesIsTheDerLiteral() {
    assertThat(Bytes.copyOf(BlockFormat.headerBytes(0, Bytes.EMPTY, Bytes.EMPTY)).toHex())
        .isEqualTo("300702010004000400");
  }

  @Test
  void headerOfFabricsTestBlockHasTheGoldenBytesAndHash() {
    // protoutil/blockutils_test.go's header {1, "foo", "bar"}; hash by Python's hashlib.
    Block block = new Block(1, ascii("foo"), ascii("bar"), List.of(), List.of());
    assertThat(Bytes.copyOf(BlockFormat.headerBytes(block)).toHex())
        .isEqualTo("300d0201010403666f6f0403626172");
    assertThat(BlockFormat.headerHash(block).toHex())
        .isEqualTo("e93c1382cc0ad21a64ae3286fd3ec883e2da582a793eb7b255954370b90a6b5b");
  }

  @Test
  void headerBytesEqualBouncyCastleDerForEdgeNumbersAndLengths() throws Exception {
    long[] numbers = {0, 1, 127, 128, 255, 256, 65535, 1L << 31, Long.MAX_VALUE, -1L, -2L};
    int[] lengths = {0, 1, 32, 127, 128, 255, 256, 70_000};
    Random random = new Random(7);
    for (long n : numbers) {
      for (int len : lengths) {
        byte[] prev = new byte[len];
        byte[] data = new byte[32];
        random.nextBytes(prev);
        random.nextBytes(data);
        BigInteger unsigned = new BigInteger(Long.toUnsignedString(n));
        assertThat(BlockFormat.headerBytes(n, Bytes.copyOf(prev), Bytes.copyOf(data)))
            .as("number %s, previous hash of %s bytes", Long.toUnsignedString(n), len)
            .isEqualTo(bouncyCastleHeader(unsigned, prev, data));
      }
    }
  }

  @Test
  void headerHashIsSha256OfTheBouncyCastleDer() throws Exception {
    byte[] prev = MessageDigest.getInstance("SHA-256").digest(new byte[] {1});
    byte[] data = MessageDigest.getInstance("SHA-256").digest(new byte[] {2});
    Block block = new Block(4242, Bytes.copyOf(prev), Bytes.copyOf(data), List.of(), List.of());
    byte[] expected =
        MessageDigest.getInstance("SHA-256")
            .digest(bouncyCastleHeader(BigInteger.valueOf(4242), prev, data));
    assertThat(BlockFormat.headerHash(block)).isEqualTo(Bytes.copyOf(expected));
  }

  @Test
  void protobufHeaderReadsTheNumberAsUnsigned() throws Exception {
    BlockHeader max = BlockHeader.newBuilder().setNumber(-1L).build();
    assertThat(BlockFormat.headerBytes(max))
        .isEqualTo(
            bouncyCastleHeader(new BigInteger("18446744073709551615"), new byte[0], new byte[0]));
  }

  @Test
  void dataHashIsSha256OfTheConcatenatedEntries() {
    // sha256("abc"), the FIPS 180-2 test vector.
    assertThat(BlockFormat.dataHash(List.of(ascii("a"), ascii("bc"))).toHex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(BlockFormat.dataHash(List.of(ascii("ab"), Bytes.EMPTY, ascii("c"))))
        .isEqualTo(BlockFormat.dataHash(List.of(ascii("abc"))));
  }

  @Test
  void newBlockHasFabricsFiveEmptyMetadataEntriesAndItsDataHash() {
    Block block = BlockFormat.newBlock(3, ascii("p"), List.of(ascii("a"), ascii("bc")));
    assertThat(block.metadata()).hasSize(5).containsOnly(Bytes.EMPTY);
    assertThat(block.dataHash().toHex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void blockSurvivesMarshallingToCommonBlockAndBack() throws Exception {
    Block block =
        new Block(
            9,
            ascii("prev"),
            ascii("data"),
            List.of(ascii("tx1"), Bytes.EMPTY, ascii("tx3")),
            List.of(ascii("sig"), Bytes.EMPTY));
    org.hyperledger.fabric.protos.common.Block proto = BlockFormat.toProto(block);
    assertThat(proto.getHeader().getNumber()).isEqualTo(9);
    assertThat(proto.getData().getDataCount()).isEqualTo(3);
    assertThat(BlockFormat.fromProto(proto)).isEqualTo(block);
    assertThat(BlockFormat.unmarshal(BlockFormat.marshal(block))).isEqualTo(block);
  }

  @Test
  void garbageAndOutOfRangeNumbersAreMalformedBlocks() {
    assertThatThrownBy(() -> BlockFormat.unmarshal(new byte[] {(byte) 0xff, 1, 2}))
        .isInstanceOf(MalformedBlockException.class);
    org.hyperledger.fabric.protos.common.Block huge =
        org.hyperledger.fabric.protos.common.Block.newBuilder()
            .setHeader(BlockHeader.newBuilder().setNumber(-5L))
            .build();
    assertThatThrownBy(() -> BlockFormat.fromProto(huge))
        .isInstanceOf(MalformedBlockException.class)
        .hasMessageContaining("18446744073709551611");
  }
}
