package org.ledgergossip.core.internal.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.core.internal.block.BlockVerifier.Reason;
import org.ledgergossip.core.internal.block.BlockVerifier.Result;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** Signed blocks verify; each way of breaking one is refused with its reason and counted. */
class BlockVerifierTest {

  private static final String CHANNEL = "mychannel";
  private static final VirtualScheduler TIME = new VirtualScheduler();

  @TempDir static Path dir;
  private static CryptoLayout layout;
  private static Msp orderer;
  private static Msp peer;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final BlockVerifier verifier =
      BlockVerifier.builder()
          .msp(peer)
          .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
          .channel(CHANNEL)
          .clock(TIME.clock())
          .meterRegistry(meters)
          .build();
  private final BlockSigner signer = new BlockSigner(orderer, new Random(1));

  @BeforeAll
  static void generate() throws Exception {
    layout = Cryptogen.generate(dir, Cryptogen.Spec.builder().orgs(1).clock(TIME.clock()).build());
    orderer =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    layout.ordererDir(),
                    layout.trustedOrgs(),
                    TIME.clock()));
    peer = new X509MspProvider().create(layout.mspOptions(1, 0, TIME.clock()));
  }

  @AfterAll
  static void close() {
    orderer.close();
    peer.close();
  }

  private static Bytes envelope(String channel, String text) {
    return ChannelEnvelopes.create(
        channel,
        ChannelEnvelopes.Type.MESSAGE,
        TIME.now(),
        Bytes.copyOf(text.getBytes(StandardCharsets.UTF_8)),
        orderer,
        new byte[24]);
  }

  private Block genesis() {
    return signer.sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of(envelope(CHANNEL, "g"))), 0);
  }

  private Block next(Block previous, String text) {
    return signer.sign(
        BlockFormat.newBlock(
            previous.number() + 1,
            BlockFormat.headerHash(previous),
            List.of(envelope(CHANNEL, text))),
        0);
  }

  private void assertRefused(Result result, Reason reason) {
    assertThat(result.reason()).as(result.detail()).isEqualTo(reason);
    assertThat(result.isValid()).isFalse();
    assertThat(
            meters
                .get(BlockVerifier.REJECTED_COUNTER)
                .tag("reason", reason.metricTag())
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void chainSignedByTheOrdererVerifies() {
    Block genesis = genesis();
    Block one = next(genesis, "a");
    Block two = next(one, "b");
    assertThat(verifier.verify(genesis, 0, Bytes.EMPTY)).isEqualTo(Result.VALID);
    assertThat(verifier.verifyNext(one, genesis).isValid()).isTrue();
    assertThat(verifier.verify(BlockFormat.marshal(two), 2, BlockFormat.headerHash(one)).isValid())
        .isTrue();
    assertThat(meters.get(BlockVerifier.REJECTED_COUNTER).counters())
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void metadataIsFabricsOrdererBlockMetadataSignedOverValueHeaderAndHeaderBytes() throws Exception {
    Block block = genesis();
    Metadata md = Metadata.parseFrom(block.signaturesMetadata().toByteArray());
    MetadataSignature sig = md.getSignatures(0);
    byte[] signed =
        md.getValue()
            .concat(sig.getSignatureHeader())
            .concat(com.google.protobuf.ByteString.copyFrom(BlockFormat.headerBytes(block)))
            .toByteArray();
    assertThat(orderer.localIdentity().verify(signed, sig.getSignature().toByteArray())).isTrue();
    assertThat(
            org.hyperledger.fabric.protos.common.OrdererBlockMetadata.parseFrom(md.getValue())
                .getLastConfig()
                .getIndex())
        .isZero();
    assertThat(
            org.hyperledger.fabric.protos.common.SignatureHeader.parseFrom(sig.getSignatureHeader())
                .getNonce()
                .size())
        .isEqualTo(BlockSigner.NONCE_SIZE);
  }

  @Test
  void blockWithAnotherNumberIsRefusedAsWrongNumber() {
    assertRefused(verifier.verify(genesis(), 1), Reason.WRONG_NUMBER);
  }

  @Test
  void blockNotChainedToThePreviousHeaderIsRefusedAsBrokenChain() {
    Block genesis = genesis();
    Block forged =
        signer.sign(
            BlockFormat.newBlock(1, Bytes.fromHex("00ff"), List.of(envelope(CHANNEL, "x"))), 0);
    assertRefused(verifier.verifyNext(forged, genesis), Reason.BROKEN_CHAIN);
  }

  @Test
  void blockWhoseDataWasChangedIsRefusedAsDataHashMismatch() {
    Block block = next(genesis(), "a");
    Block tampered =
        new Block(
            block.number(),
            block.previousHash(),
            block.dataHash(),
            List.of(envelope(CHANNEL, "b")),
            block.metadata());
    assertRefused(verifier.verify(tampered, 1), Reason.DATA_HASH_MISMATCH);
  }

  @Test
  void blockOfAnotherChannelIsRefusedAsWrongChannel() {
    Block other =
        signer.sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of(envelope("other", "g"))), 0);
    assertRefused(verifier.verify(other, 0), Reason.WRONG_CHANNEL);
  }

  @Test
  void garbageBytesAndBlocksWithoutDataAreRefusedAsMalformed() {
    assertRefused(verifier.verify(new byte[] {(byte) 0xff, 0x01}, 0), Reason.MALFORMED);
    Block empty = signer.sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of()), 0);
    assertThat(verifier.verify(empty, 0).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void unsignedBlockIsRefusedAsNoSignatures() {
    Block unsigned = BlockFormat.newBlock(0, Bytes.EMPTY, List.of(envelope(CHANNEL, "g")));
    assertRefused(verifier.verify(unsigned, 0), Reason.NO_SIGNATURES);
  }

  @Test
  void blockSignedByAPeerIsRefusedAsUntrustedSigner() {
    Block byPeer =
        new BlockSigner(peer)
            .sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of(envelope(CHANNEL, "g"))), 0);
    Result result = verifier.verify(byPeer, 0);
    assertRefused(result, Reason.UNTRUSTED_SIGNER);
    assertThat(result.detail()).contains("Org1MSP is not an orderer");
  }

  @Test
  void blockSignedByAnUnknownCaClaimingOrdererMspIsRefusedAsUntrustedSigner() {
    IssuedIdentity foreign =
        Cryptogen.foreignIdentity(
            CryptoLayout.ORDERER_MSP_ID,
            "orderer",
            TIME.now(),
            TIME.now().plus(Duration.ofDays(1)));
    Block forged =
        new BlockSigner(new Impostor(foreign.serialized(), foreign::sign))
            .sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of(envelope(CHANNEL, "g"))), 0);
    assertRefused(verifier.verify(forged, 0), Reason.UNTRUSTED_SIGNER);
  }

  @Test
  void ordererIdentityWithAnotherKeysSignatureIsRefusedAsBadSignature() {
    Block forged =
        new BlockSigner(new Impostor(orderer.localIdentity().serialized(), peer::sign))
            .sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of(envelope(CHANNEL, "g"))), 0);
    assertRefused(verifier.verify(forged, 0), Reason.BAD_SIGNATURE);
  }

  @Test
  void signatureOfOneHeaderMovedToAnotherIsRefusedAsBadSignature() {
    Block genesis = genesis();
    Block other = BlockFormat.newBlock(0, Bytes.fromHex("01"), genesis.data());
    Block moved =
        new Block(0, other.previousHash(), other.dataHash(), other.data(), genesis.metadata());
    assertRefused(verifier.verify(moved, 0), Reason.BAD_SIGNATURE);
  }

  @Test
  void twoRequiredSignaturesAreNotMetByOne() {
    BlockVerifier twoOfN =
        BlockVerifier.builder()
            .msp(peer)
            .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
            .requiredSignatures(2)
            .meterRegistry(meters)
            .build();
    assertRefused(twoOfN.verify(genesis(), 0), Reason.UNTRUSTED_SIGNER);
  }

  @Test
  void mutatedBlocksNeverThrowAndAreNeverValid() {
    // Only the SIGNATURES entry: the LAST_CONFIG entry is not covered by the signature (in Fabric
    // either), so a flip there would leave the block valid.
    Block signed = next(genesis(), "payload");
    byte[] good =
        BlockFormat.marshal(
            new Block(
                1,
                signed.previousHash(),
                signed.dataHash(),
                signed.data(),
                List.of(signed.signaturesMetadata())));
    Random random = new Random(42);
    List<Reason> seen = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] bad = good.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
      }
      Result result = verifier.verify(bad, 1);
      assertThat(result.isValid()).as("mutation %s", i).isFalse();
      seen.add(result.reason());
    }
    assertThat(seen).doesNotContainNull();
  }

  /** An MSP presenting {@code identity} that signs with another key. */
  private static final class Impostor implements Msp {
    private final Bytes serialized;
    private final java.util.function.UnaryOperator<byte[]> signer;

    Impostor(Bytes serialized, java.util.function.UnaryOperator<byte[]> signer) {
      this.serialized = serialized;
      this.signer = signer;
    }

    @Override
    public Identity localIdentity() {
      try {
        return orderer.validate(serialized);
      } catch (InvalidIdentityException e) {
        // A foreign identity: present it without validation.
        return new Identity() {
          @Override
          public String mspId() {
            return CryptoLayout.ORDERER_MSP_ID;
          }

          @Override
          public org.ledgergossip.api.PkiId pkiId() {
            return org.ledgergossip.api.PkiId.of(serialized.toByteArray());
          }

          @Override
          public Bytes serialized() {
            return serialized;
          }

          @Override
          public java.time.Instant expiresAt() {
            return java.time.Instant.MAX;
          }

          @Override
          public boolean verify(byte[] message, byte[] signature) {
            return false;
          }
        };
      }
    }

    @Override
    public byte[] sign(byte[] message) {
      return signer.apply(message);
    }

    @Override
    public Identity validate(Bytes serializedIdentity) throws InvalidIdentityException {
      return orderer.validate(serializedIdentity);
    }

    @Override
    public void reload() {}

    @Override
    public Optional<TlsCredentials> tlsCredentials() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }
}
