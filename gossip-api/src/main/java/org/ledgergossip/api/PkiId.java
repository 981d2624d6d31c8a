package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;

/**
 * The identifier of a peer in the gossip protocol: in Fabric and here, SHA-256 of the MSP id
 * followed by the peer's certificate bytes ({@code SHA-256(mspid ‖ id_bytes)}), so 32 bytes; the
 * MSP derives it, this type only carries it.
 *
 * <p>PKI-IDs order as unsigned bytes, lexicographically: leader election picks the lowest.
 *
 * @param bytes the identifier, never empty
 */
@Immutable
public record PkiId(Bytes bytes) implements Comparable<PkiId> {

  /**
   * @throws NullPointerException if {@code bytes} is null
   * @throws IllegalArgumentException if {@code bytes} is empty
   */
  public PkiId {
    requireNonNull(bytes, "bytes");
    if (bytes.isEmpty()) {
      throw new IllegalArgumentException("a PKI-ID cannot be empty");
    }
  }

  /** A PKI-ID holding a copy of {@code bytes}. */
  public static PkiId of(byte[] bytes) {
    return new PkiId(Bytes.copyOf(bytes));
  }

  /** Parses the hexadecimal form produced by {@link #toHex()}. */
  public static PkiId fromHex(String hex) {
    return new PkiId(Bytes.fromHex(hex));
  }

  /** Lower-case hexadecimal of all bytes. */
  public String toHex() {
    return bytes.toHex();
  }

  @Override
  public int compareTo(PkiId other) {
    return bytes.compareTo(other.bytes);
  }

  /** The first 8 bytes in hexadecimal: enough to tell peers apart in a log line. */
  @Override
  public String toString() {
    String hex = bytes.toHex();
    return hex.length() <= 16 ? hex : hex.substring(0, 16);
  }
}
