package org.ledgergossip.ledger;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The record framing of segment data files (see the package Javadoc) and positional I/O helpers.
 * Stateless.
 */
final class Records {

  private Records() {}

  /** The record of block {@code number} with this payload: header with both checksums, payload. */
  static ByteBuffer encodeRecord(long number, byte[] payload) {
    ByteBuffer record = ByteBuffer.allocate(Segment.RECORD_HEADER + payload.length);
    record.putInt(payload.length).putLong(number).putInt(crc(payload, 0, payload.length));
    record.putInt(crc(record.array(), 0, 16));
    record.put(payload).flip();
    return record;
  }

  /** Whether the 20-byte record header (from index 0 of {@code header}) passes its checksum. */
  static boolean headerIsValid(ByteBuffer header) {
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().clear().limit(16));
    return (int) crc.getValue() == header.getInt(16);
  }

  /** CRC32C of the given bytes. */
  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /** Fills {@code buf} from {@code position}; EOFException if the file ends first. */
  static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new EOFException("end of file at offset " + pos);
      }
      pos += n;
    }
  }

  /** The big-endian long at {@code position}. */
  static long readLong(FileChannel channel, long position) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Long.BYTES);
    readFully(channel, buf, position);
    return buf.getLong(0);
  }

  /** Writes all of {@code buf} at {@code position}. */
  static void writeFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
  }
}
