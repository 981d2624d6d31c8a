package org.ledgergossip.core.internal.wire;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A gossip frame or message that {@link WireCodec} refuses, with the {@link Reason} it was refused
 * for.
 *
 * <p>The message text says what was wrong in terms a person can act on: sizes, field names, content
 * types and tags. It does not name the peer, which the codec does not know; the caller adds it when
 * it logs. Instances are immutable apart from the stack trace.
 */
public final class MalformedMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Why a frame or message was refused. {@link #metricTag()} is the value of the {@code reason} tag
   * of the {@value WireCodec#REJECTED_COUNTER} counter.
   */
  public enum Reason {
    /** The frame is longer than the codec's maximum frame size; nothing of it was parsed. */
    FRAME_TOO_LARGE,
    /** The frame is not a protobuf {@code Envelope}: garbage, truncated, nested too deeply. */
    MALFORMED_ENVELOPE,
    /** The {@code Envelope.payload} field is empty or absent. */
    EMPTY_PAYLOAD,
    /** The {@code Envelope.payload} bytes are not a protobuf {@code GossipMessage}. */
    MALFORMED_PAYLOAD,
    /**
     * The {@code GossipMessage} has none of the {@code content} fields we know, possibly only
     * unknown fields from a newer protocol version.
     */
    NO_CONTENT,
    /** A content type this implementation does not speak: the private-data messages. */
    UNSUPPORTED,
    /** The {@code tag} is not legal for the content type (Fabric's {@code IsTagLegal}). */
    TAG_ILLEGAL;

    /** The lower-case name, used as the {@code reason} tag of the rejection counter. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why the frame or message was refused; never null. */
  private final Reason reason;

  /**
   * Creates an exception for {@code reason} with a message a person can act on.
   *
   * @throws NullPointerException if an argument is null
   */
  public MalformedMessageException(Reason reason, String message) {
    super(requireNonNull(message, "message"));
    this.reason = requireNonNull(reason, "reason");
  }

  /**
   * Creates an exception for {@code reason} caused by {@code cause}, typically a protobuf parse
   * failure.
   *
   * @throws NullPointerException if an argument is null
   */
  public MalformedMessageException(Reason reason, String message, Throwable cause) {
    super(requireNonNull(message, "message"), requireNonNull(cause, "cause"));
    this.reason = requireNonNull(reason, "reason");
  }

  /** Why the frame or message was refused; never null. */
  public Reason reason() {
    return reason;
  }
}
