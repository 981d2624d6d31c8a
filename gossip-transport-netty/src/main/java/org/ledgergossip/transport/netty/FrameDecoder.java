package org.ledgergossip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.TransportException;

/**
 * Cuts the plaintext byte stream of a connection into frames: a 4-byte big-endian length, then that
 * many bytes. The length is checked against the receiver's limit as soon as its 4 bytes are there,
 * before anything is allocated for the frame; a negative length is malformed. Bytes are held in one
 * cumulation buffer, which holds at most one frame and what arrived behind it.
 *
 * <p>Not thread-safe: used on its connection's event loop only. {@link #release()} frees the
 * buffer; it is idempotent.
 */
final class FrameDecoder {

  /** Size of the length prefix, in bytes. */
  static final int LENGTH_FIELD = 4;

  private final int maxFrameSize;
  private @Nullable ByteBuf cumulation;

  FrameDecoder(int maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
  }

  /** Appends bytes; takes ownership of {@code in} (released here or later). */
  void add(ByteBufAllocator alloc, ByteBuf in) {
    ByteBuf c = cumulation;
    cumulation = c == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, c, in);
  }

  /** Bytes held and not yet decoded. */
  int buffered() {
    ByteBuf c = cumulation;
    return c == null ? 0 : c.readableBytes();
  }

  /** Reads a big-endian int (the greeting), or returns null if fewer than 4 bytes are held. */
  @Nullable Integer readInt() {
    ByteBuf c = cumulation;
    if (c == null || c.readableBytes() < LENGTH_FIELD) {
      return null;
    }
    int value = c.readInt();
    compact();
    return value;
  }

  /**
   * The next complete frame, or null if it has not fully arrived.
   *
   * @throws TransportException if the announced length is negative or above the limit; the bytes
   *     are left as they are (the caller closes the connection and releases this decoder)
   */
  byte @Nullable [] next() throws TransportException {
    ByteBuf c = cumulation;
    if (c == null || c.readableBytes() < LENGTH_FIELD) {
      return null;
    }
    int length = c.getInt(c.readerIndex());
    if (length < 0) {
      throw new TransportException(
          "malformed frame: negative length "
              + length
              + " (length prefix 0x"
              + Integer.toHexString(length)
              + ")");
    }
    if (length > maxFrameSize) {
      throw new TransportException(
          "frame of " + length + " bytes exceeds the maximum of " + maxFrameSize + " bytes");
    }
    if (c.readableBytes() - LENGTH_FIELD < length) {
      return null;
    }
    c.skipBytes(LENGTH_FIELD);
    byte[] frame = new byte[length];
    c.readBytes(frame);
    compact();
    return frame;
  }

  private void compact() {
    ByteBuf c = cumulation;
    if (c == null) {
      return;
    }
    if (!c.isReadable()) {
      cumulation = null;
      c.release();
    } else if (c.refCnt() == 1) {
      c.discardSomeReadBytes();
    }
  }

  /** Frees the held bytes. Idempotent. */
  void release() {
    ByteBuf c = cumulation;
    cumulation = null;
    if (c != null) {
      c.release();
    }
  }
}
