package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.MembershipRequest;
import org.hyperledger.fabric.protos.gossip.MembershipResponse;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ConnectionEvent;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership request/response exchange of {@link Discovery}. A request (sent to a bootstrap
 * peer or a dead peer when a dial reaches it, and by the periodic pull) carries our signed alive
 * message. A received request whose alive message names another PKI-ID than the connection's is
 * dropped and counted in {@value Discovery#SPOOFED_COUNTER}; otherwise its alive message goes to
 * the {@link AliveIntake} and the response lists our own alive message and the latest alive and
 * dead messages the {@link DisclosurePolicy} lets us tell the requester. The alive messages of a
 * response go to the intake as alive, its dead ones as dead. Both messages are unsigned {@code
 * GossipMessage}s tagged {@code EMPTY}; the embedded envelopes keep their signatures. Embedded
 * envelopes that do not decode are counted in {@value Discovery#MALFORMED_COUNTER}.
 *
 * <p>Thread-safe; arguments must not be null.
 */
final class MembershipExchange {

  private static final Logger log = LoggerFactory.getLogger(MembershipExchange.class);

  private final Set<PkiId> warnedSpoofers = ConcurrentHashMap.newKeySet();
  private final Comm comm;
  private final WireCodec codec;
  private final AliveIntake intake;
  private final MembershipView view;
  private final Member self;
  private final Supplier<@Nullable Envelope> ownAlive;
  private final BooleanSupplier running;
  private final Counter spoofed;
  private final Counter malformed;
  private final AtomicLong nonces = new AtomicLong();

  /**
   * Who asked: the requester's PKI-ID (never listed back to it), organisation and whether its alive
   * message has an external endpoint.
   */
  record Requester(PkiId pkiId, String mspId, boolean hasExternalEndpoint) {
    Requester {
      requireNonNull(pkiId, "pkiId");
      requireNonNull(mspId, "mspId");
    }
  }

  MembershipExchange(
      Comm comm,
      WireCodec codec,
      AliveIntake intake,
      MembershipView view,
      Member self,
      Supplier<@Nullable Envelope> ownAlive,
      BooleanSupplier running,
      MeterRegistry registry) {
    this.comm = requireNonNull(comm, "comm");
    this.codec = requireNonNull(codec, "codec");
    this.intake = requireNonNull(intake, "intake");
    this.view = requireNonNull(view, "view");
    this.self = requireNonNull(self, "self");
    this.ownAlive = requireNonNull(ownAlive, "ownAlive");
    this.running = requireNonNull(running, "running");
    this.spoofed =
        Counter.builder(Discovery.SPOOFED_COUNTER)
            .description("Membership requests whose alive message is not the sender's")
            .register(registry);
    this.malformed =
        Counter.builder(Discovery.MALFORMED_COUNTER)
            .description("Membership messages with an embedded envelope that does not decode")
            .register(registry);
  }

  /**
   * A comm connection listener: remembers the identity each new authenticated connection proved. No
   * request is sent here: as in Fabric, requests go to bootstrap and anchor peers when dialled, to
   * dead peers that answer again, and to a few random peers every {@code pullInterval}; every other
   * peer is learnt from forwarded alive messages. (A request on every connection makes a join cost
   * O(N²) responses of O(N) envelopes.)
   */
  void onConnection(ConnectionEvent event) {
    AuthenticatedPeer peer = event.peer();
    if (event.type() == ConnectionEvent.Type.OPENED && !peer.probe() && running.getAsBoolean()) {
      intake.authenticated(peer);
    }
  }

  /**
   * Sends a membership request to {@code peer}, if we have signed an alive message yet and {@code
   * peer} is connected; to a peer of another organisation, our alive message goes without its
   * secret envelope (internal endpoints never leave the organisation).
   */
  void sendRequest(PkiId peer) {
    Envelope alive = ownAlive.get();
    Optional<AuthenticatedPeer> connected = comm.connection(peer);
    if (alive == null || connected.isEmpty()) {
      return;
    }
    if (DisclosurePolicy.mustStripSecret(self.mspId(), connected.get().identity().mspId())) {
      alive =
          DisclosurePolicy.apply(DisclosurePolicy.Disclosure.DISCLOSE_WITHOUT_SECRET, alive).get();
    }
    frame(request(nonces.incrementAndGet(), alive)).ifPresent(f -> comm.send(f, peer));
  }

  /**
   * Sends our latest alive message to {@code peer} (a peer we dialled because we learnt of it, so
   * that it learns of us), as the disclosure policy allows it to be told about us: not at all to a
   * foreign peer if either of us has no external endpoint, without the secret envelope to any
   * foreign peer.
   */
  void sendAlive(PkiId peer) {
    Envelope alive = ownAlive.get();
    Optional<AuthenticatedPeer> connected = comm.connection(peer);
    if (alive == null || connected.isEmpty()) {
      return;
    }
    String remoteMspId = connected.get().identity().mspId();
    boolean remoteHasExternal =
        view.member(peer).map(m -> m.externalEndpoint().isPresent()).orElse(false);
    DisclosurePolicy.apply(
            DisclosurePolicy.decide(
                self.mspId(),
                self.mspId(),
                self.externalEndpoint().isPresent(),
                remoteMspId,
                remoteHasExternal),
            alive)
        .flatMap(this::encoded)
        .ifPresent(frame -> comm.send(frame, peer));
  }

  /** Handles a received membership request (see the class documentation). */
  void onRequest(ReceivedMessage m) {
    Optional<ReceivedEnvelope> decoded = decode(m.message().getMemReq().getSelfInformation(), m);
    if (decoded.isEmpty()) {
      return;
    }
    ReceivedEnvelope info = decoded.get();
    if (info.contentCase() != ContentCase.ALIVE_MSG
        || !PkiId.of(info.message().getAliveMsg().getMembership().getPkiId().toByteArray())
            .equals(m.senderPkiId())) {
      spoofed.increment();
      if (warnedSpoofers.size() < 1024 && warnedSpoofers.add(m.senderPkiId())) {
        log.warn(
            "Dropped membership request from {}: its alive message is not its own (further ones"
                + " from it are counted in {})",
            m.senderPkiId(),
            Discovery.SPOOFED_COUNTER);
      } else {
        log.debug("Dropped membership request from {}: not its own alive message", m.senderPkiId());
      }
      return;
    }
    intake.alive(info, m.senderPkiId());
    Requester requester =
        new Requester(
            m.senderPkiId(),
            m.sender().identity().mspId(),
            !info.message().getAliveMsg().getMembership().getEndpoint().isEmpty());
    GossipMessage response =
        response(
            m.message().getNonce(),
            requester,
            self,
            ownAlive.get(),
            view.alive(),
            view.dead(),
            intake::latest);
    frame(response).ifPresent(m::respond);
  }

  /** Handles a received membership response: its alive and dead messages go to the intake. */
  void onResponse(ReceivedMessage m) {
    MembershipResponse response = m.message().getMemRes();
    for (Envelope envelope : response.getAliveList()) {
      decode(envelope, m).ifPresent(e -> intake.alive(e, m.senderPkiId()));
    }
    for (Envelope envelope : response.getDeadList()) {
      decode(envelope, m).ifPresent(intake::dead);
    }
  }

  private Optional<ReceivedEnvelope> decode(Envelope envelope, ReceivedMessage m) {
    try {
      return Optional.of(codec.decodeEmbedded(envelope));
    } catch (MalformedMessageException e) {
      malformed.increment();
      log.debug("Membership message from {}: {}", m.senderPkiId(), e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<byte[]> encoded(Envelope envelope) {
    try {
      return Optional.of(codec.encode(envelope));
    } catch (MalformedMessageException e) {
      log.warn("Cannot send our alive message: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<byte[]> frame(GossipMessage message) {
    try {
      return Optional.of(codec.encode(WireCodec.envelopeOf(message)));
    } catch (MalformedMessageException e) {
      log.warn("Cannot send a {}: {}", message.getContentCase(), e.getMessage());
      return Optional.empty();
    }
  }

  /** A membership request with {@code selfInformation} as our alive message. */
  static GossipMessage request(long nonce, Envelope selfInformation) {
    return GossipMessage.newBuilder()
        .setNonce(nonce)
        .setTag(GossipMessage.Tag.EMPTY)
        .setMemReq(MembershipRequest.newBuilder().setSelfInformation(selfInformation))
        .build();
  }

  /**
   * The response to {@code requester}: our own alive message first (if any, and if disclosable),
   * then the latest alive message of each alive and each dead member the policy allows.
   *
   * @param latest the latest envelope of a member, or null if none is kept
   */
  static GossipMessage response(
      long nonce,
      Requester requester,
      Member self,
      @Nullable Envelope own,
      List<Member> alive,
      List<Member> dead,
      Function<PkiId, @Nullable Envelope> latest) {
    MembershipResponse.Builder response = MembershipResponse.newBuilder();
    if (own != null) {
      DisclosurePolicy.apply(decide(self.mspId(), self, requester), own)
          .ifPresent(response::addAlive);
    }
    for (Member member : alive) {
      disclose(member, self.mspId(), requester, latest).ifPresent(response::addAlive);
    }
    for (Member member : dead) {
      disclose(member, self.mspId(), requester, latest).ifPresent(response::addDead);
    }
    return GossipMessage.newBuilder()
        .setNonce(nonce)
        .setTag(GossipMessage.Tag.EMPTY)
        .setMemRes(response)
        .build();
  }

  private static Optional<Envelope> disclose(
      Member member,
      String selfMspId,
      Requester requester,
      Function<PkiId, @Nullable Envelope> latest) {
    Envelope envelope = latest.apply(member.pkiId());
    if (envelope == null || member.pkiId().equals(requester.pkiId())) {
      return Optional.empty();
    }
    return DisclosurePolicy.apply(decide(selfMspId, member, requester), envelope);
  }

  private static DisclosurePolicy.Disclosure decide(
      String selfMspId, Member about, Requester requester) {
    return DisclosurePolicy.decide(
        selfMspId,
        about.mspId(),
        about.externalEndpoint().isPresent(),
        requester.mspId(),
        requester.hasExternalEndpoint());
  }
}
