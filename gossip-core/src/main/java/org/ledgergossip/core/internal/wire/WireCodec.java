package org.ledgergossip.core.internal.wire;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.ledgergossip.core.internal.wire.MalformedMessageException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns gossip frames into checked messages and messages into frames: the only place of ours that
 * parses gossip bytes.
 *
 * <p>A frame is one marshalled {@link Envelope} whose payload is a marshalled {@link GossipMessage}
 * (Fabric's {@code gossip/message.proto}). {@link #decode} checks, in this order, and refuses with
 * the first {@link Reason} that applies:
 *
 * <ol>
 *   <li>{@link Reason#FRAME_TOO_LARGE}: the frame is longer than {@link #maxFrameSize()}; nothing
 *       is parsed;
 *   <li>{@link Reason#MALFORMED_ENVELOPE}: the frame is not a protobuf {@code Envelope} (garbage,
 *       truncated, nested deeper than {@value #RECURSION_LIMIT} levels);
 *   <li>{@link Reason#EMPTY_PAYLOAD}: the envelope has no payload;
 *   <li>{@link Reason#MALFORMED_PAYLOAD}: the payload is not a protobuf {@code GossipMessage};
 *   <li>{@link Reason#NO_CONTENT}: no content we know is set (maybe only unknown fields);
 *   <li>{@link Reason#UNSUPPORTED}: private-data content ({@code PrivateData}, {@code PrivateReq},
 *       {@code PrivateRes}), which we do not implement;
 *   <li>{@link Reason#TAG_ILLEGAL}: the tag is not legal for the content, as Fabric's {@code
 *       IsTagLegal} decides, plus {@code ConnEstablish} (tag {@code EMPTY}), {@code Ack} (any tag)
 *       and {@code Empty} ({@code EMPTY} or {@code UNDEFINED}), which Fabric handles before it.
 * </ol>
 *
 * <p>Signatures are not checked here. Parsing reads from the frame with the frame's own size as
 * limit, so no length field can make it allocate beyond the frame, and {@code bytes} fields of the
 * parsed messages share the frame's memory instead of copying it: a component that keeps a small
 * piece of a large frame for a long time should copy that piece. The limit bounds bytes, not
 * objects: a frame made of many tiny sub-messages (say, empty envelopes in a membership response)
 * still takes several times its size in heap once parsed, as in any protobuf implementation.
 *
 * <p><b>Rejections.</b> Each refusal by {@link #decode} or {@link #decodeEmbedded} increments the
 * Micrometer counter {@value #REJECTED_COUNTER} tagged {@code reason=}{@link Reason#metricTag()}
 * and is logged at debug level only: the codec does not know the sender, so the caller logs the
 * refusal once, with the peer. Refusals by {@link #encode} are our own messages and are not
 * counted.
 *
 * <p><b>Threading.</b> Immutable and thread-safe; one instance serves every connection. Arguments
 * must not be null ({@link NullPointerException}); no method returns null.
 */
public final class WireCodec {

  /** Fabric's default maximum gRPC message size ({@code DefaultMaxRecvMsgSize}): 100 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 100 * 1024 * 1024;

  /** The name of the counter of refused messages; tag {@code reason} is the lower-case reason. */
  public static final String REJECTED_COUNTER = "gossip_messages_rejected_total";

  /**
   * The deepest nesting of protobuf messages and groups accepted while parsing an envelope or a
   * payload. Fabric's messages nest a handful of levels (a block inside a data message); the bound
   * keeps a hostile frame from exhausting the stack.
   */
  public static final int RECURSION_LIMIT = 64;

  private static final Logger log = LoggerFactory.getLogger(WireCodec.class);

  private final int maxFrameSize;
  private final ImmutableMap<Reason, Counter> rejected;

  /**
   * Creates a codec that refuses frames longer than {@code maxFrameSize} bytes and counts refusals
   * in {@code registry}. The counters of every reason are registered at once, at zero.
   *
   * @throws IllegalArgumentException if {@code maxFrameSize} is not positive
   * @throws NullPointerException if {@code registry} is null
   */
  public WireCodec(int maxFrameSize, MeterRegistry registry) {
    checkArgument(maxFrameSize > 0, "maxFrameSize must be positive, got %s", maxFrameSize);
    requireNonNull(registry, "registry");
    this.maxFrameSize = maxFrameSize;
    Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    for (Reason reason : Reason.values()) {
      counters.put(
          reason,
          Counter.builder(REJECTED_COUNTER)
              .description("Gossip messages refused on receipt, by reason")
              .tag("reason", reason.metricTag())
              .register(registry));
    }
    this.rejected = ImmutableMap.copyOf(counters);
  }

  /** The largest frame, in bytes, that {@link #decode} accepts and {@link #encode} produces. */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /**
   * Parses and checks one received frame (see the class documentation for the checks).
   *
   * <p>The codec takes the array over without copying it, as the transport SPI hands frames to
   * their handler: the caller must not modify it afterwards.
   *
   * @return the accepted message, holding {@code frame} itself for forwarding
   * @throws MalformedMessageException if the frame is refused; it has been counted
   */
  public ReceivedEnvelope decode(byte[] frame) throws MalformedMessageException {
    requireNonNull(frame, "frame");
    if (frame.length > maxFrameSize) {
      throw reject(
          Reason.FRAME_TOO_LARGE,
          "frame of " + frame.length + " bytes exceeds the maximum of " + maxFrameSize + " bytes");
    }
    ByteString bytes = UnsafeByteOperations.unsafeWrap(frame);
    Envelope envelope;
    try {
      envelope = parse(Envelope.parser(), bytes);
    } catch (InvalidProtocolBufferException e) {
      throw reject(
          Reason.MALFORMED_ENVELOPE,
          "frame of " + frame.length + " bytes is not a gossip Envelope: " + e.getMessage(),
          e);
    }
    return check(bytes, envelope, false);
  }

  /**
   * Checks an envelope that arrived inside another message: the alive messages of a {@code
   * MembershipRequest}/{@code MembershipResponse}, the items of a {@code DataUpdate} or a {@code
   * StateInfoSnapshot}. The checks are those of {@link #decode} after the envelope is parsed,
   * except that an embedded {@code PeerIdentity} may be tagged {@code EMPTY} as well as {@code
   * ORG_ONLY} (Fabric's certificate store signs its identity messages with {@code EMPTY}).
   *
   * <p>Such an envelope has no frame of its own; {@link ReceivedEnvelope#frame()} is its
   * serialization. Its payload and signature are the bytes received, so the signature stays valid.
   *
   * @throws MalformedMessageException if the envelope is refused; it has been counted
   */
  public ReceivedEnvelope decodeEmbedded(Envelope envelope) throws MalformedMessageException {
    requireNonNull(envelope, "envelope");
    int size = envelope.getSerializedSize();
    if (size > maxFrameSize) {
      throw reject(
          Reason.FRAME_TOO_LARGE,
          "embedded envelope of " + size + " bytes exceeds the maximum of " + maxFrameSize);
    }
    return check(envelope.toByteString(), envelope, true);
  }

  private ReceivedEnvelope check(ByteString frame, Envelope envelope, boolean embedded)
      throws MalformedMessageException {
    ByteString payload = envelope.getPayload();
    if (payload.isEmpty()) {
      throw reject(
          Reason.EMPTY_PAYLOAD,
          "Envelope.payload is empty (frame of "
              + frame.size()
              + " bytes, signature of "
              + envelope.getSignature().size()
              + " bytes)");
    }
    GossipMessage message;
    try {
      message = parse(GossipMessage.parser(), payload);
    } catch (InvalidProtocolBufferException e) {
      throw reject(
          Reason.MALFORMED_PAYLOAD,
          "Envelope.payload of "
              + payload.size()
              + " bytes is not a GossipMessage: "
              + e.getMessage(),
          e);
    }
    ContentCase content = message.getContentCase();
    if (content == ContentCase.CONTENT_NOT_SET) {
      throw reject(Reason.NO_CONTENT, noContentMessage(message, payload.size()));
    }
    if (TagRules.isUnsupported(content)) {
      throw reject(
          Reason.UNSUPPORTED,
          "GossipMessage content "
              + content
              + " (private data) is not supported by this implementation");
    }
    Optional<String> violation =
        embedded ? TagRules.embeddedViolation(message) : TagRules.violation(message);
    if (violation.isPresent()) {
      throw reject(Reason.TAG_ILLEGAL, "GossipMessage " + violation.get());
    }
    return new ReceivedEnvelope(frame, envelope, message);
  }

  private static String noContentMessage(GossipMessage message, int payloadSize) {
    Set<Integer> unknown = message.getUnknownFields().asMap().keySet();
    String base = "GossipMessage (payload of " + payloadSize + " bytes) has no content field set";
    return unknown.isEmpty()
        ? base
        : base
            + "; it carries only unknown field numbers "
            + unknown
            + " (a content type newer than our fabric-protos?)";
  }

  /**
   * Marshals {@code envelope} into a frame.
   *
   * @throws MalformedMessageException with {@link Reason#FRAME_TOO_LARGE} if the frame would be
   *     longer than {@link #maxFrameSize()}; not counted as a rejection
   */
  public byte[] encode(Envelope envelope) throws MalformedMessageException {
    requireNonNull(envelope, "envelope");
    int size = envelope.getSerializedSize();
    if (size > maxFrameSize) {
      throw new MalformedMessageException(
          Reason.FRAME_TOO_LARGE,
          "cannot send an envelope of "
              + size
              + " bytes (payload "
              + envelope.getPayload().size()
              + " bytes): the maximum frame size is "
              + maxFrameSize
              + " bytes");
    }
    return envelope.toByteArray();
  }

  /**
   * Marshals {@code message} into the frame of an unsigned envelope ({@link
   * #envelopeOf(GossipMessage)}), as Fabric sends point-to-point messages.
   *
   * @throws IllegalArgumentException if {@code message} would be refused by a receiver: no content,
   *     private data or an illegal tag (a bug of the sender, not input)
   * @throws MalformedMessageException with {@link Reason#FRAME_TOO_LARGE} if the frame would be
   *     longer than {@link #maxFrameSize()}
   */
  public byte[] encode(GossipMessage message) throws MalformedMessageException {
    requireNonNull(message, "message");
    ContentCase content = message.getContentCase();
    checkArgument(
        content != ContentCase.CONTENT_NOT_SET && !TagRules.isUnsupported(content),
        "cannot send a GossipMessage with content %s",
        content);
    Optional<String> violation = TagRules.violation(message);
    checkArgument(violation.isEmpty(), "cannot send: GossipMessage %s", violation.orElse(""));
    return encode(envelopeOf(message));
  }

  /**
   * An unsigned envelope: the payload is {@code message} marshalled, the signature empty and no
   * secret envelope.
   */
  public static Envelope envelopeOf(GossipMessage message) {
    return Envelope.newBuilder()
        .setPayload(requireNonNull(message, "message").toByteString())
        .build();
  }

  /**
   * A signed envelope: {@code signature} is over exactly the {@code payload} bytes, a marshalled
   * {@code GossipMessage}. Signing itself is done by the caller (the message crypto service).
   */
  public static Envelope envelopeOf(ByteString payload, ByteString signature) {
    return Envelope.newBuilder()
        .setPayload(requireNonNull(payload, "payload"))
        .setSignature(requireNonNull(signature, "signature"))
        .build();
  }

  /**
   * A signed envelope with a secret envelope attached (an alive message's internal endpoint, signed
   * separately by the caller).
   */
  public static Envelope envelopeOf(
      ByteString payload, ByteString signature, SecretEnvelope secretEnvelope) {
    return envelopeOf(payload, signature).toBuilder()
        .setSecretEnvelope(requireNonNull(secretEnvelope, "secretEnvelope"))
        .build();
  }

  /**
   * True if a receiver would accept {@code message}'s tag: the same rule as {@link #decode}, for
   * senders that want to check what they build. False for no content and private data.
   */
  public static boolean isTagLegal(GossipMessage message) {
    requireNonNull(message, "message");
    ContentCase content = message.getContentCase();
    return content != ContentCase.CONTENT_NOT_SET
        && !TagRules.isUnsupported(content)
        && TagRules.violation(message).isEmpty();
  }

  /**
   * True if a message with {@code tag} is routed only to peers of its channel: {@code
   * CHAN_AND_ORG}, {@code CHAN_ONLY}, {@code CHAN_OR_ORG} (Fabric's {@code IsChannelRestricted}).
   */
  public static boolean isChannelRestricted(Tag tag) {
    return switch (requireNonNull(tag, "tag")) {
      case CHAN_AND_ORG, CHAN_ONLY, CHAN_OR_ORG -> true;
      case UNDEFINED, EMPTY, ORG_ONLY, UNRECOGNIZED -> false;
    };
  }

  /**
   * True if a message with {@code tag} is routed only to peers of our organization: {@code
   * CHAN_AND_ORG}, {@code ORG_ONLY} (Fabric's {@code IsOrgRestricted}).
   */
  public static boolean isOrgRestricted(Tag tag) {
    return switch (requireNonNull(tag, "tag")) {
      case CHAN_AND_ORG, ORG_ONLY -> true;
      case UNDEFINED, EMPTY, CHAN_ONLY, CHAN_OR_ORG, UNRECOGNIZED -> false;
    };
  }

  /**
   * Parses a whole buffer with its own size as the limit, without copying {@code bytes} fields, and
   * fails on anything left after the message (Fabric would too).
   */
  private static <T> T parse(Parser<T> parser, ByteString bytes)
      throws InvalidProtocolBufferException {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    in.setSizeLimit(bytes.size());
    in.setRecursionLimit(RECURSION_LIMIT);
    T message = parser.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
    // A top-level end-group tag stops the parser early; refuse rather than ignore what follows.
    in.checkLastTagWas(0);
    return message;
  }

  private MalformedMessageException reject(Reason reason, String message) {
    return counted(new MalformedMessageException(reason, message));
  }

  private MalformedMessageException reject(Reason reason, String message, Throwable cause) {
    return counted(new MalformedMessageException(reason, message, cause));
  }

  private MalformedMessageException counted(MalformedMessageException e) {
    requireNonNull(rejected.get(e.reason()), "counter").increment();
    log.debug("Refused gossip message ({}): {}", e.reason().metricTag(), e.getMessage());
    return e;
  }

  @Override
  public String toString() {
    return "WireCodec{maxFrameSize=" + maxFrameSize + "}";
  }
}
