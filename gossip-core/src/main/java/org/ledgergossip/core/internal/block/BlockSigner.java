package org.ledgergossip.core.internal.block;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.msp.Msp;

/**
 * Signs blocks as Fabric's ordering service does ({@code BlockWriter.addBlockSignature} and {@code
 * addLastConfig}): metadata entry {@code SIGNATURES} becomes a marshalled {@code Metadata{value =
 * OrdererBlockMetadata{last_config, consenter_metadata = Metadata{}}, signatures =
 * [MetadataSignature{signature_header, signature}]}}, where the signature header is {@code
 * SignatureHeader{creator = the Msp's serialized local identity, nonce = 24 random bytes}} and the
 * signature is the Msp's over {@code value ‖ signature_header ‖ header bytes}; metadata entry
 * {@code LAST_CONFIG} becomes {@code Metadata{value = LastConfig{index}}}.
 *
 * <p><b>Threading.</b> Thread-safe if the {@link Msp} is (the SPI requires it); the nonce source is
 * synchronized. Arguments must not be null; no method returns null.
 */
public final class BlockSigner {

  /** Length of the signature header's nonce, as Fabric's {@code crypto.NonceSize}. */
  public static final int NONCE_SIZE = 24;

  /**
   * Index of the {@code LAST_CONFIG} metadata entry; deprecated in the protos but still written by
   * Fabric's {@code BlockWriter.addLastConfig}.
   */
  static final int LAST_CONFIG_INDEX = 1;

  private final Msp msp;
  private final Random nonces;

  /** A signer with the local identity of {@code msp} and nonces from a {@link SecureRandom}. */
  public BlockSigner(Msp msp) {
    this(msp, new SecureRandom());
  }

  /**
   * A signer with the local identity of {@code msp} and nonces from {@code nonces} (a seeded {@link
   * Random} makes blocks reproducible in tests).
   */
  public BlockSigner(Msp msp, Random nonces) {
    this.msp = requireNonNull(msp, "msp");
    this.nonces = requireNonNull(nonces, "nonces");
  }

  /**
   * {@code block} with the orderer signature and last-config metadata set (existing metadata
   * entries at other indexes are kept; missing ones up to {@link BlockFormat#METADATA_ENTRIES} are
   * added empty).
   *
   * @param lastConfigIndex the number of the channel's last configuration block
   */
  public Block sign(Block block, long lastConfigIndex) {
    requireNonNull(block, "block");
    ByteString value =
        OrdererBlockMetadata.newBuilder()
            .setLastConfig(LastConfig.newBuilder().setIndex(lastConfigIndex))
            .setConsenterMetadata(Metadata.getDefaultInstance().toByteString())
            .build()
            .toByteString();
    byte[] nonce = new byte[NONCE_SIZE];
    synchronized (nonces) {
      nonces.nextBytes(nonce);
    }
    ByteString signatureHeader =
        SignatureHeader.newBuilder()
            .setCreator(BlockFormat.byteString(msp.localIdentity().serialized()))
            .setNonce(UnsafeByteOperations.unsafeWrap(nonce))
            .build()
            .toByteString();
    byte[] signature =
        msp.sign(
            value
                .concat(signatureHeader)
                .concat(UnsafeByteOperations.unsafeWrap(BlockFormat.headerBytes(block)))
                .toByteArray());
    Metadata signatures =
        Metadata.newBuilder()
            .setValue(value)
            .addSignatures(
                MetadataSignature.newBuilder()
                    .setSignatureHeader(signatureHeader)
                    .setSignature(UnsafeByteOperations.unsafeWrap(signature)))
            .build();
    Metadata lastConfig =
        Metadata.newBuilder()
            .setValue(LastConfig.newBuilder().setIndex(lastConfigIndex).build().toByteString())
            .build();
    List<Bytes> metadata = new ArrayList<>(block.metadata());
    while (metadata.size() < BlockFormat.METADATA_ENTRIES) {
      metadata.add(Bytes.EMPTY);
    }
    metadata.set(BlockMetadataIndex.SIGNATURES_VALUE, Bytes.copyOf(signatures.toByteArray()));
    metadata.set(LAST_CONFIG_INDEX, Bytes.copyOf(lastConfig.toByteArray()));
    return new Block(
        block.number(), block.previousHash(), block.dataHash(), block.data(), metadata);
  }

  @Override
  public String toString() {
    return "BlockSigner[" + msp.localIdentity().mspId() + "]";
  }
}
