package org.ledgergossip.core.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ledgergossip.core.internal.wire.MalformedMessageException.Reason;

/** Each kind of bad frame is refused with its own reason, a useful message and a counter. */
class WireCodecRejectionTest {

  private static final int MAX = 1024;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WireCodec codec = new WireCodec(MAX, registry);

  private MalformedMessageException refuse(byte[] frame) {
    MalformedMessageException e =
        catchThrowableOfType(MalformedMessageException.class, () -> codec.decode(frame));
    assertThat(e).as("frame should have been refused").isNotNull();
    return e;
  }

  private double rejected(Reason reason) {
    return registry
        .get(WireCodec.REJECTED_COUNTER)
        .tag("reason", reason.metricTag())
        .counter()
        .count();
  }

  private static byte[] frameOf(GossipMessage message) {
    return WireCodec.envelopeOf(message).toByteArray();
  }

  private static byte[] frameWithPayload(byte[] payload) {
    return Envelope.newBuilder().setPayload(ByteString.copyFrom(payload)).build().toByteArray();
  }

  @Test
  void oversizeGarbageIsRefusedAsTooLargeBeforeParsing() {
    byte[] garbage = new byte[MAX + 1];
    Arrays.fill(garbage, (byte) 0xFF);

    MalformedMessageException e = refuse(garbage);

    assertThat(e.reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
    assertThat(e.getMessage()).contains(String.valueOf(MAX + 1), String.valueOf(MAX));
    assertThat(e.getCause()).isNull();
  }

  @Test
  void frameOfExactlyTheMaximumIsParsed() {
    byte[] garbage = new byte[MAX];
    Arrays.fill(garbage, (byte) 0xFF);

    assertThat(refuse(garbage).reason()).isEqualTo(Reason.MALFORMED_ENVELOPE);
  }

  @Test
  void oversizeValidFrameIsRefusedAsTooLarge() {
    GossipMessage big =
        SampleMessages.sample(ContentCase.DATA_MSG).setTag(Tag.CHAN_AND_ORG).build().toBuilder()
            .setChannel(SampleMessages.bytes(MAX, 'c'))
            .build();

    assertThat(refuse(frameOf(big)).reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
  }

  @Test
  void garbageIsRefusedAsMalformedEnvelope() {
    byte[] fieldNumberZero = {0x00, 0x01, 0x02};
    byte[] wireTypeSeven = {0x0F, 0x01};

    assertThat(refuse(fieldNumberZero).reason()).isEqualTo(Reason.MALFORMED_ENVELOPE);
    MalformedMessageException e = refuse(wireTypeSeven);
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ENVELOPE);
    assertThat(e.getMessage()).contains("frame of 2 bytes", "Envelope");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void truncatedFrameIsRefusedAsMalformedEnvelope() {
    byte[] frame = frameOf(SampleMessages.sample(ContentCase.ALIVE_MSG).setTag(Tag.EMPTY).build());

    MalformedMessageException e = refuse(Arrays.copyOf(frame, frame.length - 1));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ENVELOPE);
    assertThat(e.getMessage()).contains(String.valueOf(frame.length - 1));
  }

  @Test
  void lengthLargerThanTheFrameIsRefusedWithoutAllocatingIt() {
    // Field 1 (payload), length-delimited, announcing 2^31 - 1 bytes in a 6-byte frame.
    byte[] frame = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};

    assertThat(refuse(frame).reason()).isEqualTo(Reason.MALFORMED_ENVELOPE);
  }

  /** {@code depth} nested groups of unknown field 1: start-group tags, then end-group tags. */
  private static byte[] nestedGroups(int depth) {
    byte[] frame = new byte[2 * depth];
    Arrays.fill(frame, 0, depth, (byte) 0x0B);
    Arrays.fill(frame, depth, 2 * depth, (byte) 0x0C);
    return frame;
  }

  @Test
  void nestingDeeperThanTheRecursionLimitIsRefused() {
    MalformedMessageException e = refuse(nestedGroups(WireCodec.RECURSION_LIMIT + 1));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ENVELOPE);
    assertThat(e.getMessage()).contains("nesting");
    // Within the limit, the same structure parses (and then has no payload).
    assertThat(refuse(nestedGroups(WireCodec.RECURSION_LIMIT / 2)).reason())
        .isEqualTo(Reason.EMPTY_PAYLOAD);
  }

  @Test
  void bytesAfterAStrayEndGroupTagAreNotIgnored() {
    byte[] valid = frameOf(SampleMessages.sample(ContentCase.EMPTY).setTag(Tag.EMPTY).build());
    byte[] frame = Arrays.copyOf(valid, valid.length + 3);
    frame[valid.length] = 0x0C; // end group, field 1
    frame[valid.length + 1] = 0x12; // then field 2 ...
    frame[valid.length + 2] = 0x00;

    assertThat(refuse(frame).reason()).isEqualTo(Reason.MALFORMED_ENVELOPE);
  }

  @Test
  void emptyFrameAndEnvelopeWithoutPayloadAreRefusedAsEmptyPayload() {
    byte[] signatureOnly =
        Envelope.newBuilder().setSignature(SampleMessages.bytes(70, 1)).build().toByteArray();

    assertThat(refuse(new byte[0]).reason()).isEqualTo(Reason.EMPTY_PAYLOAD);
    MalformedMessageException e = refuse(signatureOnly);
    assertThat(e.reason()).isEqualTo(Reason.EMPTY_PAYLOAD);
    assertThat(e.getMessage()).contains("payload", "signature of 70 bytes");
  }

  @Test
  void payloadThatIsNotAGossipMessageIsRefusedAsMalformedPayload() {
    MalformedMessageException e = refuse(frameWithPayload(new byte[] {0x0F, 0x00}));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
    assertThat(e.getMessage()).contains("payload of 2 bytes", "GossipMessage");
  }

  @Test
  void truncatedPayloadIsRefusedAsMalformedPayload() {
    byte[] payload =
        SampleMessages.sample(ContentCase.ALIVE_MSG).setTag(Tag.EMPTY).build().toByteArray();

    MalformedMessageException e =
        refuse(frameWithPayload(Arrays.copyOf(payload, payload.length - 1)));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_PAYLOAD);
  }

  @Test
  void messageWithoutContentIsRefusedAsNoContent() {
    GossipMessage noContent = GossipMessage.newBuilder().setNonce(1).setTag(Tag.EMPTY).build();

    MalformedMessageException e = refuse(frameOf(noContent));

    assertThat(e.reason()).isEqualTo(Reason.NO_CONTENT);
    assertThat(e.getMessage()).contains("no content");
  }

  @Test
  void messageWithOnlyAnUnknownContentFieldIsRefusedAsNoContentNamingTheField() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt64(1, 7); // nonce
    out.writeEnum(3, Tag.EMPTY_VALUE);
    out.writeBytes(99, ByteString.copyFromUtf8("new content")); // a oneof member from the future
    out.flush();

    MalformedMessageException e = refuse(frameWithPayload(bytes.toByteArray()));

    assertThat(e.reason()).isEqualTo(Reason.NO_CONTENT);
    assertThat(e.getMessage()).contains("[99]");
  }

  @ParameterizedTest
  @EnumSource(
      value = ContentCase.class,
      names = {"PRIVATEREQ", "PRIVATERES", "PRIVATE_DATA"})
  void privateDataIsRefusedAsUnsupportedWhateverTheTag(ContentCase content) {
    for (Tag tag : new Tag[] {Tag.CHAN_ONLY, Tag.CHAN_AND_ORG, Tag.EMPTY, Tag.UNDEFINED}) {
      MalformedMessageException e =
          refuse(frameOf(SampleMessages.sample(content).setTag(tag).build()));
      assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
      assertThat(e.getMessage()).contains(content.name());
    }
  }

  @Test
  void illegalTagIsRefusedAsTagIllegal() {
    GossipMessage alive = SampleMessages.sample(ContentCase.ALIVE_MSG).setTag(Tag.ORG_ONLY).build();

    assertThat(refuse(frameOf(alive)).reason()).isEqualTo(Reason.TAG_ILLEGAL);
  }

  @Test
  void anEmbeddedIdentityMayBeTaggedEmptyAsFabricsCertStoreSignsItButATopLevelOneMayNot()
      throws Exception {
    GossipMessage identity =
        SampleMessages.sample(ContentCase.PEER_IDENTITY).setTag(Tag.EMPTY).build();

    assertThat(codec.decodeEmbedded(WireCodec.envelopeOf(identity)).contentCase())
        .isEqualTo(ContentCase.PEER_IDENTITY);
    assertThat(refuse(frameOf(identity)).reason()).isEqualTo(Reason.TAG_ILLEGAL);
    GossipMessage chanOnly =
        SampleMessages.sample(ContentCase.PEER_IDENTITY).setTag(Tag.CHAN_ONLY).build();
    assertThatThrownBy(() -> codec.decodeEmbedded(WireCodec.envelopeOf(chanOnly)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("PEER_IDENTITY");
    GossipMessage embeddedAlive =
        SampleMessages.sample(ContentCase.ALIVE_MSG).setTag(Tag.ORG_ONLY).build();
    assertThatThrownBy(() -> codec.decodeEmbedded(WireCodec.envelopeOf(embeddedAlive)))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void eachRefusalIncrementsTheCounterOfItsReasonOnly() {
    for (Reason reason : Reason.values()) {
      assertThat(rejected(reason)).as("registered at zero: " + reason).isZero();
    }

    refuse(new byte[MAX + 1]);
    refuse(new byte[] {0x00});
    refuse(new byte[] {0x00});
    refuse(frameOf(SampleMessages.sample(ContentCase.ALIVE_MSG).setTag(Tag.ORG_ONLY).build()));

    assertThat(rejected(Reason.FRAME_TOO_LARGE)).isEqualTo(1.0);
    assertThat(rejected(Reason.MALFORMED_ENVELOPE)).isEqualTo(2.0);
    assertThat(rejected(Reason.TAG_ILLEGAL)).isEqualTo(1.0);
    assertThat(rejected(Reason.EMPTY_PAYLOAD)).isZero();
    assertThat(rejected(Reason.MALFORMED_PAYLOAD)).isZero();
    assertThat(rejected(Reason.NO_CONTENT)).isZero();
    assertThat(rejected(Reason.UNSUPPORTED)).isZero();
    assertThat(
            registry.get(WireCodec.REJECTED_COUNTER).tag("reason", "tag_illegal").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void embeddedEnvelopeWithoutPayloadIsRefusedAndCounted() {
    MalformedMessageException e =
        catchThrowableOfType(
            MalformedMessageException.class,
            () -> codec.decodeEmbedded(Envelope.getDefaultInstance()));

    assertThat(e.reason()).isEqualTo(Reason.EMPTY_PAYLOAD);
    assertThat(rejected(Reason.EMPTY_PAYLOAD)).isEqualTo(1.0);
  }

  @Test
  void encodingAnOversizeEnvelopeFailsWithoutCounting() {
    Envelope big = WireCodec.envelopeOf(SampleMessages.bytes(MAX, 1), SampleMessages.bytes(70, 2));

    MalformedMessageException e =
        catchThrowableOfType(MalformedMessageException.class, () -> codec.encode(big));

    assertThat(e.reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
    assertThat(e.getMessage()).contains(String.valueOf(MAX), "payload " + MAX + " bytes");
    assertThat(rejected(Reason.FRAME_TOO_LARGE)).isZero();
  }

  @Test
  void encodingAMessageAReceiverWouldRefuseIsAProgrammingError() {
    GossipMessage illegal = SampleMessages.sample(ContentCase.DATA_MSG).setTag(Tag.EMPTY).build();
    GossipMessage noContent = GossipMessage.newBuilder().setTag(Tag.EMPTY).build();

    assertThatThrownBy(() -> codec.encode(illegal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATA_MSG");
    assertThatThrownBy(() -> codec.encode(noContent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CONTENT_NOT_SET");
  }

  @Test
  void maximumFrameSizeMustBePositive() {
    assertThatThrownBy(() -> new WireCodec(0, registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFrameSize");
    assertThat(new WireCodec(MAX, registry).maxFrameSize()).isEqualTo(MAX);
  }
}
