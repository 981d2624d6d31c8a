package org.ledgergossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.transport.TransportException;

/** The frame decoder alone, without sockets: splitting, limits, malformed lengths, releasing. */
class FrameDecoderTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  private static ByteBuf bytes(int... values) {
    ByteBuf b = ALLOC.buffer(values.length);
    for (int v : values) {
      b.writeByte(v);
    }
    return b;
  }

  private static ByteBuf frame(byte[] payload) {
    return ALLOC.buffer(4 + payload.length).writeInt(payload.length).writeBytes(payload);
  }

  @Test
  void framesSplitAnywhereAreReassembled() throws Exception {
    FrameDecoder d = new FrameDecoder(1024);
    d.add(ALLOC, bytes(0, 0));
    assertThat(d.next()).isNull();
    d.add(ALLOC, bytes(0, 3, 'a'));
    assertThat(d.next()).isNull();
    d.add(ALLOC, bytes('b', 'c', 0, 0, 0, 0, 0, 0, 0, 1));
    assertThat(d.next()).containsExactly('a', 'b', 'c');
    assertThat(d.next()).isEmpty();
    assertThat(d.next()).isNull();
    d.add(ALLOC, bytes('z'));
    assertThat(d.next()).containsExactly('z');
    assertThat(d.buffered()).isZero();
    d.release();
  }

  @Test
  void frameExactlyAtTheLimitIsAccepted() throws Exception {
    FrameDecoder d = new FrameDecoder(16);
    d.add(ALLOC, frame(new byte[16]));
    assertThat(d.next()).hasSize(16);
    d.release();
  }

  @Test
  void lengthAboveTheLimitIsRefusedAsSoonAsThePrefixArrives() {
    FrameDecoder d = new FrameDecoder(16);
    d.add(ALLOC, Unpooled.buffer(4).writeInt(17));
    assertThatThrownBy(d::next)
        .isInstanceOf(TransportException.class)
        .hasMessage("frame of 17 bytes exceeds the maximum of 16 bytes");
    d.release();
  }

  @Test
  void hugeLengthIsRefusedWithoutAllocating() {
    FrameDecoder d = new FrameDecoder(16);
    d.add(ALLOC, Unpooled.buffer(4).writeInt(Integer.MAX_VALUE));
    assertThatThrownBy(d::next)
        .isInstanceOf(TransportException.class)
        .hasMessage("frame of 2147483647 bytes exceeds the maximum of 16 bytes");
    assertThat(d.buffered()).isEqualTo(4);
    d.release();
  }

  @Test
  void negativeLengthIsMalformed() {
    FrameDecoder d = new FrameDecoder(16);
    d.add(ALLOC, Unpooled.buffer(4).writeInt(-1));
    assertThatThrownBy(d::next)
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith("malformed frame: negative length -1");
    d.release();
  }

  @Test
  void greetingIsReadAsAnInt() throws Exception {
    FrameDecoder d = new FrameDecoder(16);
    d.add(ALLOC, bytes(0x4C, 0x47));
    assertThat(d.readInt()).isNull();
    d.add(ALLOC, bytes(0x4E, 0x01, 0, 0, 0, 1, 7));
    assertThat(d.readInt()).isEqualTo(ChannelBridge.GREETING);
    assertThat(d.next()).containsExactly(7);
    d.release();
  }

  @Test
  void releaseFreesTheHeldBytesAndIsIdempotent() {
    FrameDecoder d = new FrameDecoder(1024);
    ByteBuf partial = bytes(0, 0, 0, 9, 1, 2);
    d.add(ALLOC, partial);
    d.release();
    d.release();
    assertThat(partial.refCnt()).isZero();
    assertThat(d.buffered()).isZero();
  }
}
