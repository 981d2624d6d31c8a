package org.ledgergossip.core.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PkiId;

class ChannelMacTest {

  private static final PkiId A = PkiId.fromHex("0a0b0c0d0e0f");
  private static final PkiId B = PkiId.fromHex("0a0b0c0d0e10");

  @Test
  void macIsSha256OfPkiIdThenChannelName() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(A.bytes().toByteArray());
    sha.update("mychannel".getBytes(StandardCharsets.UTF_8));

    ByteString mac = ChannelMac.of(A, "mychannel");

    assertThat(mac.toByteArray()).isEqualTo(sha.digest());
    assertThat(mac.size()).isEqualTo(ChannelMac.LENGTH);
  }

  @Test
  void macDiffersByPeerAndByChannel() {
    assertThat(ChannelMac.of(A, "ch1")).isNotEqualTo(ChannelMac.of(B, "ch1"));
    assertThat(ChannelMac.of(A, "ch1")).isNotEqualTo(ChannelMac.of(A, "ch2"));
    assertThat(ChannelMac.of(A, "ch1")).isEqualTo(ChannelMac.of(A, "ch1"));
  }

  @Test
  void matchesOnlyTheMacOfThatPeerAndChannel() {
    ByteString mac = ChannelMac.of(A, "ch1");
    assertThat(ChannelMac.matches(mac, A, "ch1")).isTrue();
    assertThat(ChannelMac.matches(mac, B, "ch1")).isFalse();
    assertThat(ChannelMac.matches(mac, A, "ch2")).isFalse();
    assertThat(ChannelMac.matches(ByteString.EMPTY, A, "ch1")).isFalse();
    assertThat(ChannelMac.matches(mac.substring(0, 31), A, "ch1")).isFalse();
  }

  @Test
  void channelNameTravelsAsUtf8() {
    assertThat(ChannelMac.channelBytes("canal-é").toByteArray())
        .isEqualTo("canal-é".getBytes(StandardCharsets.UTF_8));
  }
}
