package org.ledgergossip.core.internal.wire;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;

/**
 * A gossip message as {@link WireCodec} accepted it: the frame exactly as received, the {@link
 * Envelope} parsed from it, the {@link GossipMessage} parsed from the envelope's payload and the
 * envelope's optional {@link SecretEnvelope}.
 *
 * <p>Only {@link WireCodec} creates instances, after every check of {@link WireCodec#decode}
 * passed: the message has a supported content and a legal tag. Nothing here says whether the
 * signature is valid; that is checked later, against {@link #envelope()}.
 *
 * <p>Forward {@link #frame()}, never a re-encoding of {@link #message()}: the signature covers the
 * payload bytes as the signer produced them. The frame is a read-only view of the received bytes
 * (no copy); {@link ByteString#toByteArray()} gives a copy that may be sent to several connections.
 *
 * <p>Immutable and thread-safe; no accessor returns null. Equality is by frame bytes, from which
 * everything else follows.
 */
public final class ReceivedEnvelope {

  private static final int MAX_DISPLAYED_CHANNEL = 64;

  private final ByteString frame;
  private final Envelope envelope;
  private final GossipMessage message;

  ReceivedEnvelope(ByteString frame, Envelope envelope, GossipMessage message) {
    this.frame = requireNonNull(frame, "frame");
    this.envelope = requireNonNull(envelope, "envelope");
    this.message = requireNonNull(message, "message");
  }

  /** The frame exactly as received, for forwarding; a read-only view, not a copy. */
  public ByteString frame() {
    return frame;
  }

  /** The size of {@link #frame()} in bytes. */
  public int frameSize() {
    return frame.size();
  }

  /** The envelope parsed from the frame: payload, signature and optional secret envelope. */
  public Envelope envelope() {
    return envelope;
  }

  /** The gossip message parsed from {@code envelope().getPayload()}. */
  public GossipMessage message() {
    return message;
  }

  /** Shorthand for {@code message().getContentCase()}; never {@code CONTENT_NOT_SET}. */
  public GossipMessage.ContentCase contentCase() {
    return message.getContentCase();
  }

  /**
   * The envelope's secret envelope (an alive message's internal endpoint, signed separately), if
   * the sender attached one.
   */
  public Optional<SecretEnvelope> secretEnvelope() {
    return envelope.hasSecretEnvelope()
        ? Optional.of(envelope.getSecretEnvelope())
        : Optional.empty();
  }

  /** True if the envelope carries a non-empty signature (not whether it is valid). */
  public boolean hasSignature() {
    return !envelope.getSignature().isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReceivedEnvelope other && frame.equals(other.frame);
  }

  @Override
  public int hashCode() {
    return frame.hashCode();
  }

  /** The content type, tag, nonce and sizes; never the contents, which may be megabytes. */
  @Override
  public String toString() {
    return "ReceivedEnvelope{"
        + message.getContentCase()
        + ", tag="
        + message.getTag()
        + ", nonce="
        + Long.toUnsignedString(message.getNonce())
        + ", channel="
        + channelForDisplay(message.getChannel())
        + ", frame="
        + frame.size()
        + "B, signature="
        + envelope.getSignature().size()
        + "B, secret="
        + envelope.hasSecretEnvelope()
        + "}";
  }

  private static String channelForDisplay(ByteString channel) {
    return channel.size() <= MAX_DISPLAYED_CHANNEL
        ? '"' + channel.toStringUtf8() + '"'
        : channel.size() + "B";
  }
}
