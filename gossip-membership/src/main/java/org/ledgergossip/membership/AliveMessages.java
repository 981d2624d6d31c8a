package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.hyperledger.fabric.protos.gossip.AliveMessage;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Member;
import org.hyperledger.fabric.protos.gossip.Secret;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs this peer's alive messages and verifies those of other peers, as Fabric's discovery layer
 * does.
 *
 * <p><b>Format.</b> An alive message is an {@link Envelope} whose payload is a marshalled {@code
 * GossipMessage{tag EMPTY, nonce 0, alive_msg{membership{endpoint, metadata, pki_id}, timestamp,
 * identity}}} and whose signature is the local MSP's signature over exactly those payload bytes.
 * The external endpoint is {@code Member.endpoint} (the empty string when the peer has none). The
 * internal endpoint never appears in the payload: it travels only in the envelope's {@link
 * SecretEnvelope}, whose payload is a marshalled {@code Secret{internalEndpoint}} signed
 * separately, so that it can be stripped before the message is shown to another organisation.
 *
 * <p><b>Verification</b> ({@link #verify}) refuses, with the first {@link Reason} that applies: a
 * message that is not an alive message; a malformed one (no membership, no PKI-ID, no timestamp, an
 * unparseable endpoint or secret); an identity that names another PKI-ID; a signer nobody knows; a
 * bad payload signature; a bad secret-envelope signature. A secret envelope byte-identical to the
 * last one verified for the same PKI-ID (the peer signs it once per internal endpoint) is not
 * verified again; the last {@value #VERIFIED_SECRETS} peers' are remembered. Each refusal
 * increments the Micrometer counter {@value #REJECTED_COUNTER} tagged {@code reason=}{@link
 * Reason#metricTag()}; input from the network never makes {@code verify} throw.
 *
 * <p><b>Threading.</b> Thread-safe (the MSP and the counters are); one instance serves every
 * connection. Arguments must not be null ({@link NullPointerException}); no method returns null.
 */
public final class AliveMessages {

  /** The name of the counter of refused alive messages; tag {@code reason}. */
  public static final String REJECTED_COUNTER = "gossip_membership_alive_rejected_total";

  private static final Logger log = LoggerFactory.getLogger(AliveMessages.class);

  /** How many peers' last verified secret envelopes are remembered. */
  private static final int VERIFIED_SECRETS = 10_000;

  private final Msp msp;
  private final ImmutableMap<Reason, Counter> rejected;
  private final Set<Reason> warned = ConcurrentHashMap.newKeySet();

  /** Our signed secret envelope, re-signed only when the internal endpoint changes. */
  private final AtomicReference<@Nullable SecretEnvelope> ownSecret = new AtomicReference<>();

  /** The last secret envelope verified for each PKI-ID; a byte-identical one is not re-verified. */
  private final Cache<PkiId, SecretEnvelope> verifiedSecrets =
      CacheBuilder.newBuilder().maximumSize(VERIFIED_SECRETS).build();

  /** Why {@link #verify} refused an alive message. */
  public enum Reason {
    /** The message's content is not an {@code AliveMessage}. */
    NOT_ALIVE,
    /** The signer is neither known nor introduced by a valid identity in the message. */
    UNKNOWN_IDENTITY,
    /** The envelope's signature is missing or not valid over the payload. */
    BAD_SIGNATURE,
    /** The secret envelope's signature is missing or not valid over its payload. */
    BAD_SECRET_SIGNATURE,
    /** A required field is missing or an endpoint or the secret does not parse. */
    MALFORMED,
    /** The identity carried in the message belongs to another PKI-ID than the member's. */
    IDENTITY_MISMATCH;

    /** The lower-case name, for metric tags. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The outcome of {@link #verify}: {@link Accepted} or {@link Rejected}. */
  public sealed interface Verdict permits Accepted, Rejected {}

  /**
   * A verified alive message.
   *
   * @param record what the message says; its internal endpoint comes from a verified secret
   * @param signer the identity whose key verified the signatures
   */
  public record Accepted(AliveRecord record, Identity signer) implements Verdict {

    /**
     * Checks that no component is null.
     *
     * @throws NullPointerException if one is
     */
    public Accepted {
      requireNonNull(record, "record");
      requireNonNull(signer, "signer");
    }
  }

  /**
   * A refused alive message; it has been counted.
   *
   * @param reason the kind of refusal
   * @param detail what was wrong, naming the PKI-ID when known, for a log line
   */
  public record Rejected(Reason reason, String detail) implements Verdict {

    /**
     * Checks that no component is null.
     *
     * @throws NullPointerException if one is
     */
    public Rejected {
      requireNonNull(reason, "reason");
      requireNonNull(detail, "detail");
    }
  }

  /**
   * Creates the service for the local peer, which signs with {@code msp}, validates identities
   * carried in messages with it, and counts refusals in {@code registry} (all reasons registered at
   * once, at zero).
   *
   * @throws NullPointerException if an argument is null
   */
  public AliveMessages(Msp msp, MeterRegistry registry) {
    this.msp = requireNonNull(msp, "msp");
    requireNonNull(registry, "registry");
    Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    for (Reason reason : Reason.values()) {
      counters.put(
          reason,
          Counter.builder(REJECTED_COUNTER)
              .description("Alive messages refused on verification, by reason")
              .tag("reason", reason.metricTag())
              .register(registry));
    }
    this.rejected = ImmutableMap.copyOf(counters);
  }

  /**
   * Builds and signs the alive message of the local peer described by {@code self}: the payload
   * signed by the MSP and, if {@code self} has an internal endpoint, a secret envelope carrying it,
   * signed separately.
   *
   * <p>The caller is responsible for {@code self.pkiId()} being the MSP's own PKI-ID, for a fresh
   * {@code time} on every call, and for including the identity only during {@code
   * publishCertPeriod}.
   *
   * @return the envelope, ready for {@link WireCodec#encode(Envelope)}
   */
  public Envelope sign(AliveRecord self) {
    requireNonNull(self, "self");
    Member.Builder member =
        Member.newBuilder()
            .setEndpoint(self.externalEndpoint().map(Endpoint::toString).orElse(""))
            .setMetadata(byteString(self.metadata()))
            .setPkiId(byteString(self.pkiId().bytes()));
    AliveMessage.Builder alive =
        AliveMessage.newBuilder()
            .setMembership(member)
            .setTimestamp(
                org.hyperledger.fabric.protos.gossip.PeerTime.newBuilder()
                    .setIncNum(self.time().incNum())
                    .setSeqNum(self.time().seqNum()));
    self.identity().ifPresent(id -> alive.setIdentity(byteString(id)));
    GossipMessage message =
        GossipMessage.newBuilder()
            .setTag(GossipMessage.Tag.EMPTY)
            .setNonce(0)
            .setAliveMsg(alive)
            .build();
    ByteString payload = message.toByteString();
    ByteString signature = UnsafeByteOperations.unsafeWrap(msp.sign(payload.toByteArray()));
    if (self.internalEndpoint().isEmpty()) {
      return WireCodec.envelopeOf(payload, signature);
    }
    return WireCodec.envelopeOf(payload, signature, secretEnvelope(self.internalEndpoint().get()));
  }

  /**
   * The signed secret carrying {@code internal}. The secret holds nothing but the endpoint, so one
   * signature serves every alive message until the endpoint changes, and receivers that verified it
   * once need not verify it again.
   */
  private SecretEnvelope secretEnvelope(Endpoint internal) {
    ByteString secret =
        Secret.newBuilder().setInternalEndpoint(internal.toString()).build().toByteString();
    SecretEnvelope cached = ownSecret.get();
    if (cached != null && cached.getPayload().equals(secret)) {
      return cached;
    }
    SecretEnvelope signed =
        SecretEnvelope.newBuilder()
            .setPayload(secret)
            .setSignature(UnsafeByteOperations.unsafeWrap(msp.sign(secret.toByteArray())))
            .build();
    ownSecret.set(signed);
    return signed;
  }

  /**
   * Verifies a received alive message (see the class documentation for the checks).
   *
   * <p>The signer is {@code identities.apply(pkiId)} for the message's PKI-ID. When that is empty
   * and the message carries an identity, the identity is validated with the MSP and accepted as the
   * signer if its PKI-ID is the member's; the caller may then store {@link Accepted#signer()}.
   *
   * @param identities the identities already known, by PKI-ID; must not return null
   * @return {@link Accepted} or {@link Rejected}, never null
   */
  public Verdict verify(ReceivedEnvelope received, Function<PkiId, Optional<Identity>> identities) {
    requireNonNull(received, "received");
    requireNonNull(identities, "identities");
    if (received.contentCase() != GossipMessage.ContentCase.ALIVE_MSG) {
      return reject(Reason.NOT_ALIVE, "content is " + received.contentCase() + ", not ALIVE_MSG");
    }
    AliveMessage alive = received.message().getAliveMsg();
    if (!alive.hasMembership() || alive.getMembership().getPkiId().isEmpty()) {
      return reject(Reason.MALFORMED, "alive message without membership or PKI-ID");
    }
    PkiId pkiId = PkiId.of(alive.getMembership().getPkiId().toByteArray());
    if (!alive.hasTimestamp()) {
      return reject(Reason.MALFORMED, "alive message of " + pkiId + " has no timestamp");
    }
    Optional<Endpoint> external;
    try {
      external = endpoint(alive.getMembership().getEndpoint());
    } catch (IllegalArgumentException e) {
      return reject(Reason.MALFORMED, "alive message of " + pkiId + ": " + e.getMessage());
    }
    Optional<Bytes> carried =
        alive.getIdentity().isEmpty()
            ? Optional.empty()
            : Optional.of(Bytes.copyOf(alive.getIdentity().toByteArray()));

    Optional<Identity> known = requireNonNull(identities.apply(pkiId), "identities returned null");
    Identity signer;
    if (carried.isPresent()
        && (known.isEmpty() || !known.get().serialized().equals(carried.get()))) {
      Identity introduced;
      try {
        introduced = msp.validate(carried.get());
      } catch (InvalidIdentityException e) {
        return reject(
            Reason.UNKNOWN_IDENTITY,
            "identity in the alive message of " + pkiId + " is invalid: " + e.getMessage());
      }
      if (!introduced.pkiId().equals(pkiId)) {
        return reject(
            Reason.IDENTITY_MISMATCH,
            "alive message of "
                + pkiId
                + " carries the identity of "
                + introduced.pkiId()
                + " ("
                + introduced.mspId()
                + ")");
      }
      signer = known.orElse(introduced);
    } else if (known.isPresent()) {
      signer = known.get();
    } else {
      return reject(
          Reason.UNKNOWN_IDENTITY, "no identity known for " + pkiId + " and none in the message");
    }

    Envelope envelope = received.envelope();
    if (envelope.getSignature().isEmpty()
        || !signer.verify(
            envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray())) {
      return reject(Reason.BAD_SIGNATURE, "alive message of " + pkiId + " has a bad signature");
    }
    Optional<Endpoint> internal = Optional.empty();
    if (envelope.hasSecretEnvelope()) {
      SecretEnvelope secret = envelope.getSecretEnvelope();
      if (secret.getPayload().isEmpty()
          || secret.getSignature().isEmpty()
          || !(secret.equals(verifiedSecrets.getIfPresent(pkiId))
              || signer.verify(
                  secret.getPayload().toByteArray(), secret.getSignature().toByteArray()))) {
        return reject(
            Reason.BAD_SECRET_SIGNATURE,
            "secret envelope of the alive message of " + pkiId + " has a bad signature");
      }
      try {
        internal = endpoint(Secret.parseFrom(secret.getPayload()).getInternalEndpoint());
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        return reject(
            Reason.MALFORMED,
            "secret of the alive message of " + pkiId + " does not parse: " + e.getMessage());
      }
    }
    if (envelope.hasSecretEnvelope()) {
      verifiedSecrets.put(pkiId, envelope.getSecretEnvelope());
    }
    PeerTime time =
        new PeerTime(alive.getTimestamp().getIncNum(), alive.getTimestamp().getSeqNum());
    Bytes metadata = Bytes.copyOf(alive.getMembership().getMetadata().toByteArray());
    return new Accepted(
        new AliveRecord(pkiId, external, internal, metadata, time, carried), signer);
  }

  /** The number of alive messages refused so far for {@code reason}. */
  public double rejectedCount(Reason reason) {
    return requireNonNull(rejected.get(requireNonNull(reason, "reason")), "counter").count();
  }

  private Rejected reject(Reason reason, String detail) {
    requireNonNull(rejected.get(reason), "counter").increment();
    if (warned.add(reason)) {
      log.warn(
          "Refused alive message ({}): {}; further refusals of this kind are counted in {} and"
              + " logged at debug",
          reason.metricTag(),
          detail,
          REJECTED_COUNTER);
    } else {
      log.debug("Refused alive message ({}): {}", reason.metricTag(), detail);
    }
    return new Rejected(reason, detail);
  }

  private static Optional<Endpoint> endpoint(String text) {
    return text.isEmpty() ? Optional.empty() : Optional.of(Endpoint.parse(text));
  }

  private static ByteString byteString(Bytes bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyByteBuffer());
  }

  @Override
  public String toString() {
    return "AliveMessages{" + msp.localIdentity().pkiId() + "}";
  }
}
