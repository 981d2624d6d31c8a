package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;

/**
 * One alive message queued in {@link Discovery}'s emitter: the frame as received (or as signed, for
 * our own), with what the push policy ({@link DisclosurePolicy#decideForward}) needs to know about
 * the peer it is about, and, made on first need, the frame without its secret envelope for peers of
 * other organisations.
 *
 * <p>Thread-safe: immutable but for the stripped frame, computed idempotently.
 */
final class AliveEmission {

  private final byte[] frame;
  private final Envelope envelope;
  private final String aboutMspId;
  private final boolean aboutHasExternalEndpoint;
  private volatile byte @Nullable [] stripped;

  /**
   * @param frame the encoded envelope, sent as it is inside our organisation
   * @param envelope the same envelope, decoded
   * @param aboutMspId the organisation of the peer the message is about; empty if unknown
   * @param aboutHasExternalEndpoint whether the message has an external endpoint
   */
  AliveEmission(
      byte[] frame, Envelope envelope, String aboutMspId, boolean aboutHasExternalEndpoint) {
    this.frame = requireNonNull(frame, "frame");
    this.envelope = requireNonNull(envelope, "envelope");
    this.aboutMspId = requireNonNull(aboutMspId, "aboutMspId");
    this.aboutHasExternalEndpoint = aboutHasExternalEndpoint;
  }

  String aboutMspId() {
    return aboutMspId;
  }

  boolean aboutHasExternalEndpoint() {
    return aboutHasExternalEndpoint;
  }

  /**
   * The frame to send under {@code disclosure}: empty for {@link
   * DisclosurePolicy.Disclosure#WITHHOLD} (or if the stripped envelope cannot be encoded).
   */
  Optional<byte[]> frameFor(DisclosurePolicy.Disclosure disclosure, WireCodec codec) {
    return switch (disclosure) {
      case WITHHOLD -> Optional.empty();
      case DISCLOSE -> Optional.of(frame);
      case DISCLOSE_WITHOUT_SECRET -> strippedFrame(codec);
    };
  }

  private Optional<byte[]> strippedFrame(WireCodec codec) {
    if (!envelope.hasSecretEnvelope()) {
      return Optional.of(frame);
    }
    byte[] s = stripped;
    if (s == null) {
      try {
        s = codec.encode(envelope.toBuilder().clearSecretEnvelope().build());
      } catch (MalformedMessageException e) {
        return Optional.empty();
      }
      stripped = s;
    }
    return Optional.of(s);
  }
}
