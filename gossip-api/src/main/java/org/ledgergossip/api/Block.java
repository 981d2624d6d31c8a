package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A block of a channel's ledger, with the fields of Fabric's {@code common.Block}.
 *
 * <p>Fabric hash-chains blocks: {@code previousHash} is the SHA-256 of the previous block's header
 * bytes (the ASN.1 DER {@code SEQUENCE(number, previousHash, dataHash)}), {@code dataHash} is the
 * SHA-256 of the concatenated {@code data} entries, and {@code metadata} entry {@link
 * #SIGNATURES_METADATA_INDEX} holds the ordering service's signatures over the header. This record
 * only carries those fields; checking them is the job of the block verifier in the core.
 *
 * @param number the block number (its sequence number on the channel), {@code >= 0}
 * @param previousHash header hash of block {@code number - 1}; empty for the genesis block
 * @param dataHash SHA-256 of the concatenation of {@code data}
 * @param data the block's entries (transactions), in order
 * @param metadata Fabric's metadata entries, indexed as in {@code common.BlockMetadataIndex}; may
 *     be empty
 */
public record Block(
    long number, Bytes previousHash, Bytes dataHash, List<Bytes> data, List<Bytes> metadata) {

  /**
   * Index in {@link #metadata()} of the orderer signatures ({@code BlockMetadataIndex.SIGNATURES}).
   */
  public static final int SIGNATURES_METADATA_INDEX = 0;

  /**
   * @throws IllegalArgumentException if {@code number} is negative
   * @throws NullPointerException if any field or list element is null
   */
  public Block {
    if (number < 0) {
      throw new IllegalArgumentException("block number must be >= 0, was " + number);
    }
    requireNonNull(previousHash, "previousHash");
    requireNonNull(dataHash, "dataHash");
    data = List.copyOf(data);
    metadata = List.copyOf(metadata);
  }

  /**
   * The marshalled {@code common.Metadata} holding the orderer signatures, or {@link Bytes#EMPTY}
   * if the block has no metadata at that index.
   */
  public Bytes signaturesMetadata() {
    return metadata.size() > SIGNATURES_METADATA_INDEX
        ? metadata.get(SIGNATURES_METADATA_INDEX)
        : Bytes.EMPTY;
  }

  /** Total size of the data entries in bytes. */
  public long dataSize() {
    long total = 0;
    for (Bytes entry : data) {
      total += entry.size();
    }
    return total;
  }

  @Override
  public String toString() {
    return "Block[number="
        + number
        + ", previousHash="
        + previousHash
        + ", dataHash="
        + dataHash
        + ", entries="
        + data.size()
        + ", dataBytes="
        + dataSize()
        + "]";
  }
}
