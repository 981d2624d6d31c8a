package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable sequence of bytes: hashes, signatures, serialized identities, block data.
 *
 * <p>The public API speaks in this type instead of {@code byte[]} so that value types stay
 * immutable without defensive copies on every access. {@link #copyOf(byte[])} copies its input;
 * {@link #toByteArray()} returns a fresh copy. Instances are thread-safe. Equality is by content;
 * ordering ({@link #compareTo}) is unsigned lexicographic, the order Fabric uses for PKI-IDs.
 */
@Immutable
public final class Bytes implements Comparable<Bytes> {

  private static final HexFormat HEX = HexFormat.of();

  /** The empty sequence. */
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  @SuppressWarnings("Immutable") // never mutated and never exposed
  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Returns a copy of {@code bytes}.
   *
   * @throws NullPointerException if {@code bytes} is null
   */
  public static Bytes copyOf(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** Returns a copy of the remaining bytes of {@code buffer}, without moving its position. */
  public static Bytes copyOf(ByteBuffer buffer) {
    ByteBuffer view = requireNonNull(buffer, "buffer").duplicate();
    byte[] out = new byte[view.remaining()];
    view.get(out);
    return out.length == 0 ? EMPTY : new Bytes(out);
  }

  /**
   * Parses lower- or upper-case hexadecimal.
   *
   * @throws IllegalArgumentException if {@code hex} is not an even number of hex digits
   */
  public static Bytes fromHex(String hex) {
    return copyOf(HEX.parseHex(requireNonNull(hex, "hex")));
  }

  /** Number of bytes. */
  public int size() {
    return bytes.length;
  }

  /** True if there are no bytes. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /**
   * The byte at {@code index}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size())}
   */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** A fresh copy of the bytes; the caller owns it. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** A read-only view of the bytes, positioned at 0; no copy is made. */
  public ByteBuffer asReadOnlyByteBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** Lower-case hexadecimal. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Hexadecimal, shortened to the first 16 bytes for long values. */
  @Override
  public String toString() {
    if (bytes.length <= 16) {
      return toHex();
    }
    return HEX.formatHex(bytes, 0, 16) + "…(" + bytes.length + " bytes)";
  }
}
