package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;

/**
 * The checks of a signed request envelope that Fabric's orderer makes ({@code
 * common/deliver/deliver.go}, {@code msgprocessor}): it parses, its channel header has a timestamp
 * within the time window and binds the client's TLS certificate (deliver only), and its creator is
 * an identity the MSP validates whose signature over the payload verifies. Stateless apart from the
 * MSP; thread-safe.
 */
final class EnvelopeCheck {

  /** A parsed envelope. */
  record Parsed(Envelope envelope, Payload payload, ChannelHeader channelHeader, Bytes creator) {}

  /** Why a request is refused: Fabric's status and a metric reason. */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    private final Status status;

    private final String reason;

    Refusal(Status status, String reason, String detail) {
      super(detail);
      this.status = requireNonNull(status, "status");
      this.reason = requireNonNull(reason, "reason");
    }

    Status status() {
      return status;
    }

    String reason() {
      return reason;
    }
  }

  private final Msp msp;
  private final Clock clock;
  private final Duration timeWindow;

  EnvelopeCheck(Msp msp, Clock clock, Duration timeWindow) {
    this.msp = requireNonNull(msp, "msp");
    this.clock = requireNonNull(clock, "clock");
    this.timeWindow = requireNonNull(timeWindow, "timeWindow");
  }

  /**
   * Parses {@code envelope}. With {@code clientCertHash} (a deliver request over mutual TLS) also
   * checks the timestamp window and the TLS binding, as Fabric's deliver service does.
   *
   * @throws Refusal with {@code BAD_REQUEST} if a check fails
   */
  Parsed parse(Envelope envelope, boolean deliver, byte @Nullable [] clientCertHash)
      throws Refusal {
    Payload payload;
    ChannelHeader channelHeader;
    SignatureHeader signatureHeader;
    try {
      payload = Payload.parseFrom(envelope.getPayload());
      if (!payload.hasHeader()) {
        throw new Refusal(Status.BAD_REQUEST, "malformed", "envelope has no header");
      }
      channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
      signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
    } catch (InvalidProtocolBufferException e) {
      throw new Refusal(Status.BAD_REQUEST, "malformed", "envelope does not parse: " + e);
    }
    if (deliver) {
      checkTimestamp(channelHeader);
      if (clientCertHash != null) {
        checkBinding(channelHeader, clientCertHash);
      }
    }
    return new Parsed(
        envelope,
        payload,
        channelHeader,
        Bytes.copyOf(signatureHeader.getCreator().asReadOnlyByteBuffer()));
  }

  /**
   * The creator of {@code parsed}, validated by the MSP, whose signature over the payload verifies.
   *
   * @throws Refusal with {@code FORBIDDEN} otherwise
   */
  Identity authenticate(Parsed parsed) throws Refusal {
    Identity creator;
    try {
      creator = msp.validate(parsed.creator());
    } catch (InvalidIdentityException e) {
      throw new Refusal(
          Status.FORBIDDEN, "untrusted_creator", "creator is not valid: " + e.getMessage());
    }
    if (!creator.verify(
        parsed.envelope().getPayload().toByteArray(),
        parsed.envelope().getSignature().toByteArray())) {
      throw new Refusal(
          Status.FORBIDDEN,
          "bad_signature",
          "signature of " + creator.mspId() + " does not verify over the payload");
    }
    return creator;
  }

  /** Whether {@code creator} is still within its validity (Fabric re-checks before each block). */
  boolean stillValid(Identity creator) {
    return clock.instant().isBefore(creator.expiresAt());
  }

  private void checkTimestamp(ChannelHeader header) throws Refusal {
    if (!header.hasTimestamp()) {
      throw new Refusal(
          Status.BAD_REQUEST, "timestamp", "channel header in envelope must contain timestamp");
    }
    Instant sent =
        Instant.ofEpochSecond(header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
    Duration skew = Duration.between(sent, clock.instant()).abs();
    if (skew.compareTo(timeWindow) > 0) {
      throw new Refusal(
          Status.BAD_REQUEST,
          "timestamp",
          "envelope timestamp " + sent + " is more than " + timeWindow + " from the server's time");
    }
  }

  private static void checkBinding(ChannelHeader header, byte[] clientCertHash) throws Refusal {
    if (header.getTlsCertHash().isEmpty()) {
      throw new Refusal(
          Status.BAD_REQUEST, "tls_binding", "client did not include its TLS certificate hash");
    }
    if (!MessageDigest.isEqual(header.getTlsCertHash().toByteArray(), clientCertHash)) {
      throw new Refusal(
          Status.BAD_REQUEST,
          "tls_binding",
          "the TLS certificate hash in the channel header is not that of the client's certificate");
    }
  }
}
