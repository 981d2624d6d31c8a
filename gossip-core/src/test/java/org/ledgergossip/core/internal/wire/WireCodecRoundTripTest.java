package org.ledgergossip.core.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.hyperledger.fabric.protos.gossip.Secret;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every supported content type survives encode → decode unchanged, and frames stay as received. */
class WireCodecRoundTripTest {

  private final WireCodec codec =
      new WireCodec(WireCodec.DEFAULT_MAX_FRAME_SIZE, new SimpleMeterRegistry());

  /**
   * One legal (content, pull type, tag) per supported content; both pull types for pull messages.
   */
  static Stream<Arguments> supportedMessages() {
    List<Arguments> out = new ArrayList<>();
    for (ContentCase content : ContentCase.values()) {
      switch (content) {
        case CONTENT_NOT_SET, PRIVATEREQ, PRIVATERES, PRIVATE_DATA -> {}
        case HELLO, DATA_DIG, DATA_REQ, DATA_UPDATE -> {
          out.add(Arguments.of(content, PullMsgType.BLOCK_MSG, Tag.CHAN_AND_ORG));
          out.add(Arguments.of(content, PullMsgType.IDENTITY_MSG, Tag.EMPTY));
        }
        case DATA_MSG, LEADERSHIP_MSG -> out.add(Arguments.of(content, null, Tag.CHAN_AND_ORG));
        case ALIVE_MSG, MEM_REQ, MEM_RES, CONN, EMPTY ->
            out.add(Arguments.of(content, null, Tag.EMPTY));
        case PEER_IDENTITY -> out.add(Arguments.of(content, null, Tag.ORG_ONLY));
        case STATE_INFO, STATE_SNAPSHOT, STATE_INFO_PULL_REQ, STATE_REQUEST, STATE_RESPONSE ->
            out.add(Arguments.of(content, null, Tag.CHAN_OR_ORG));
        case ACK -> out.add(Arguments.of(content, null, Tag.UNDEFINED));
      }
    }
    return out.stream();
  }

  @Test
  void everySupportedContentTypeHasARoundTripCase() {
    assertThat(supportedMessages().map(a -> a.get()[0]).distinct())
        .hasSize(ContentCase.values().length - 4); // all but CONTENT_NOT_SET and 3 private
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("supportedMessages")
  void unsignedMessageRoundTrips(ContentCase content, PullMsgType pullType, Tag tag)
      throws Exception {
    GossipMessage message =
        SampleMessages.sample(content, pullType == null ? PullMsgType.BLOCK_MSG : pullType)
            .setTag(tag)
            .build();

    byte[] frame = codec.encode(message);
    ReceivedEnvelope received = codec.decode(frame);

    assertThat(received.message()).isEqualTo(message);
    assertThat(received.contentCase()).isEqualTo(content);
    assertThat(received.envelope()).isEqualTo(WireCodec.envelopeOf(message));
    assertThat(received.frame().toByteArray()).isEqualTo(frame);
    assertThat(received.frameSize()).isEqualTo(frame.length);
    assertThat(received.hasSignature()).isFalse();
    assertThat(received.secretEnvelope()).isEmpty();
  }

  @Test
  void signedEnvelopeWithSecretKeepsPayloadSignatureAndSecret() throws Exception {
    GossipMessage alive = SampleMessages.sample(ContentCase.ALIVE_MSG).setTag(Tag.EMPTY).build();
    SecretEnvelope secret =
        SecretEnvelope.newBuilder()
            .setPayload(
                Secret.newBuilder().setInternalEndpoint("10.0.0.1:7051").build().toByteString())
            .setSignature(SampleMessages.bytes(70, 0x66))
            .build();
    ByteString signature = SampleMessages.bytes(71, 0x77);
    Envelope envelope = WireCodec.envelopeOf(alive.toByteString(), signature, secret);

    ReceivedEnvelope received = codec.decode(codec.encode(envelope));

    assertThat(received.envelope()).isEqualTo(envelope);
    assertThat(received.envelope().getSignature()).isEqualTo(signature);
    assertThat(received.hasSignature()).isTrue();
    assertThat(received.secretEnvelope()).contains(secret);
    assertThat(received.message()).isEqualTo(alive);
  }

  /**
   * A frame another implementation wrote differently from us (fields out of order, an unknown
   * field) is accepted, and {@link ReceivedEnvelope#frame()} is still exactly its bytes, while a
   * re-encoding would differ.
   */
  @Test
  void frameIsKeptByteForByteEvenWhenAReEncodingWouldDiffer() throws Exception {
    GossipMessage message =
        SampleMessages.sample(ContentCase.DATA_MSG).setTag(Tag.CHAN_AND_ORG).build();
    ByteString signature = SampleMessages.bytes(8, 0x01);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeBytes(2, signature); // signature before payload
    out.writeBytes(1, message.toByteString());
    out.writeUInt64(15, 12345); // a field from the future
    out.flush();
    byte[] frame = bytes.toByteArray();

    ReceivedEnvelope received = codec.decode(frame);

    assertThat(received.frame().toByteArray()).isEqualTo(frame);
    assertThat(received.message()).isEqualTo(message);
    assertThat(received.envelope().getSignature()).isEqualTo(signature);
    assertThat(received.envelope().toByteArray()).isNotEqualTo(frame);
  }

  @Test
  void embeddedEnvelopesAreCheckedLikeFrames() throws Exception {
    GossipMessage update =
        SampleMessages.sample(ContentCase.DATA_UPDATE, PullMsgType.IDENTITY_MSG)
            .setTag(Tag.EMPTY)
            .build();
    ReceivedEnvelope outer = codec.decode(codec.encode(update));
    Envelope inner = outer.message().getDataUpdate().getData(0);

    ReceivedEnvelope received = codec.decodeEmbedded(inner);

    assertThat(received.contentCase()).isEqualTo(ContentCase.ALIVE_MSG);
    assertThat(received.envelope().getPayload()).isEqualTo(inner.getPayload());
    assertThat(received.envelope().getSignature()).isEqualTo(inner.getSignature());
    assertThat(received.frame()).isEqualTo(inner.toByteString());
  }

  @Test
  void equalFramesGiveEqualReceivedEnvelopes() throws Exception {
    byte[] frame = codec.encode(SampleMessages.sample(ContentCase.EMPTY).setTag(Tag.EMPTY).build());

    ReceivedEnvelope a = codec.decode(frame);
    ReceivedEnvelope b = codec.decode(frame.clone());

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).contains("EMPTY", "nonce=42", "\"mychannel\"");
  }
}
