package org.ledgergossip.core.internal.pull;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.junit.jupiter.api.Test;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;

class PullMessagesTest {

  private final WireCodec codec = new WireCodec(1 << 20, new SimpleMeterRegistry());
  private final List<ByteString> digests = List.of(ByteString.copyFromUtf8("7"));

  @Test
  void identityPullMessagesTaggedEmptyPassTheCodecWithTheirContent() throws Exception {
    assertThat(roundTrip(PullMessages.hello(PullMsgType.IDENTITY_MSG, 1), GossipMessage.Tag.EMPTY))
        .extracting(ReceivedEnvelope::contentCase)
        .isEqualTo(ContentCase.HELLO);
    GossipMessage digest =
        roundTrip(
                PullMessages.digest(PullMsgType.IDENTITY_MSG, 2, digests), GossipMessage.Tag.EMPTY)
            .message();
    assertThat(digest.getDataDig().getNonce()).isEqualTo(2);
    assertThat(digest.getDataDig().getDigestsList()).isEqualTo(digests);
    assertThat(digest.getDataDig().getMsgType()).isEqualTo(PullMsgType.IDENTITY_MSG);
  }

  @Test
  void blockPullMessagesTaggedChanAndOrgPassTheCodecWithTheirContent() throws Exception {
    GossipMessage request =
        roundTrip(
                PullMessages.request(PullMsgType.BLOCK_MSG, 3, digests),
                GossipMessage.Tag.CHAN_AND_ORG)
            .message();
    assertThat(request.getDataReq().getDigestsList()).isEqualTo(digests);
    Envelope item = WireCodec.envelopeOf(ByteString.copyFromUtf8("x"), ByteString.EMPTY);
    GossipMessage update =
        roundTrip(
                PullMessages.update(PullMsgType.BLOCK_MSG, 4, List.of(item, item)),
                GossipMessage.Tag.CHAN_AND_ORG)
            .message();
    assertThat(update.getDataUpdate().getDataList()).containsExactly(item, item);
    assertThat(update.getDataUpdate().getNonce()).isEqualTo(4);
  }

  private ReceivedEnvelope roundTrip(GossipMessage.Builder message, GossipMessage.Tag tag)
      throws Exception {
    return codec.decode(
        codec.encode(message.setTag(tag).setChannel(ByteString.copyFromUtf8("ch")).build()));
  }
}
