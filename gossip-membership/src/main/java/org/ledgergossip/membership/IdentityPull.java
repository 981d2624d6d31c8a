package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.hyperledger.fabric.protos.gossip.DataUpdate;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.PeerIdentity;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.RandomPeers;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.identity.IdentityMapper;
import org.ledgergossip.core.internal.pull.PullAdapter;
import org.ledgergossip.core.internal.pull.PullEngine;
import org.ledgergossip.core.internal.pull.PullMessages;
import org.ledgergossip.core.internal.store.MessageStore;
import org.ledgergossip.core.internal.store.ReplacementPolicy;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity pull of Fabric's cert store ({@code gossip/gossip/certstore.go}): every peer's
 * {@code PeerIdentity{pki_id, cert}} message, signed by its owner, is spread with a {@link
 * PullEngine} (instance {@code "identities"}, {@code msg_type IDENTITY_MSG}, digests are the raw
 * PKI-IDs) every {@code pullInterval} from {@code pullPeerNum} random connected alive peers, so
 * that a peer that joins after the others' {@code publishCertPeriod} (when alive messages stop
 * carrying identities) still learns them.
 *
 * <p><b>Storing.</b> Identity messages are kept first-wins per PKI-ID in a {@link MessageStore}
 * ({@link ReplacementPolicy#firstPerKey}); this peer's own is added on creation. A received {@code
 * DataUpdate} is checked item by item: the envelope decodes, holds a {@code PeerIdentity}, the
 * certificate is valid for the MSP (known CA, not expired, not revoked), its PKI-ID is the one
 * claimed and the owner's signature verifies. Invalid items are dropped and counted in {@value
 * #REJECTED_COUNTER}{@code {reason}} (unlike Fabric, which drops the whole update, so one revoked
 * identity cannot keep the others from spreading); the valid ones go to the engine, and those it
 * accepts are stored and put into the {@link IdentityMapper}.
 *
 * <p><b>Disclosure</b> (Fabric's {@code sameOrgOrOurOrgPullFilter}): a peer of our organisation
 * gets every identity; a peer of another organisation only those of peers with an external endpoint
 * whose organisation is ours or the requester's.
 *
 * <p><b>Removal.</b> {@link #forget} drops a peer's identity message (its identity left the mapper)
 * so it is neither advertised nor served any more; a later copy pulled from a peer that still has
 * it is validated again, and refused if revoked or expired.
 *
 * <p><b>Threading.</b> Thread-safe: handlers run on the comm's threads, rounds on the scheduler;
 * the engine, store and maps are thread-safe. Arguments must not be null. Network input never
 * throws out of a handler.
 */
final class IdentityPull {

  /** The counter of identity messages refused in a pull response; tag {@code reason}. */
  static final String REJECTED_COUNTER = "gossip_membership_identity_messages_rejected_total";

  /** The {@code instance} tag of the engine's metrics. */
  static final String INSTANCE = "identities";

  private static final Logger log = LoggerFactory.getLogger(IdentityPull.class);

  /** Why an identity message of a pull response was refused. */
  enum Reason {
    /** The embedded envelope does not decode, or is not a {@code PeerIdentity}. */
    MALFORMED,
    /** The MSP rejects the certificate (unknown CA, expired, revoked). */
    INVALID_IDENTITY,
    /** The certificate's PKI-ID is not the one claimed. */
    PKI_ID_MISMATCH,
    /** The owner's signature does not verify. */
    BAD_SIGNATURE;

    String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A verified identity message. */
  record IdentityMessage(PkiId pkiId, String mspId, Bytes cert, Envelope envelope) {
    IdentityMessage {
      requireNonNull(pkiId, "pkiId");
      requireNonNull(mspId, "mspId");
      requireNonNull(cert, "cert");
      requireNonNull(envelope, "envelope");
    }
  }

  private final Comm comm;
  private final WireCodec codec;
  private final Msp msp;
  private final IdentityMapper mapper;
  private final MembershipView view;
  private final Member self;
  private final Supplier<List<PkiId>> candidates;
  private final int pullPeerNum;
  private final RandomGenerator random;
  private final MessageStore<IdentityMessage> store;
  private final Map<PkiId, IdentityMessage> byPkiId = new ConcurrentHashMap<>();
  private final Map<PkiId, IdentityMessage> pending = new ConcurrentHashMap<>();
  private final PullEngine<PkiId> engine;
  private final ImmutableMap<Reason, Counter> rejected;
  private final Set<Reason> warned = ConcurrentHashMap.newKeySet();
  private final List<Subscription> subscriptions = new ArrayList<>();

  /**
   * An identity pull holding this peer's own identity message.
   *
   * @param self this peer as it announces itself (PKI-ID, organisation, external endpoint)
   * @param candidates the peers a round may pull from (connected and alive, never this peer)
   */
  IdentityPull(
      Comm comm,
      WireCodec codec,
      Msp msp,
      IdentityMapper mapper,
      MembershipView view,
      Member self,
      Supplier<List<PkiId>> candidates,
      Scheduler scheduler,
      GossipConfig config,
      RandomGenerator random,
      MeterRegistry registry) {
    this.comm = requireNonNull(comm, "comm");
    this.codec = requireNonNull(codec, "codec");
    this.msp = requireNonNull(msp, "msp");
    this.mapper = requireNonNull(mapper, "mapper");
    this.view = requireNonNull(view, "view");
    this.self = requireNonNull(self, "self");
    this.candidates = requireNonNull(candidates, "candidates");
    this.pullPeerNum = config.pullPeerNum();
    this.random = requireNonNull(random, "random");
    Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    for (Reason r : Reason.values()) {
      counters.put(
          r,
          Counter.builder(REJECTED_COUNTER)
              .description("Identity messages of pull responses refused, by reason")
              .tag("reason", r.metricTag())
              .register(registry));
    }
    this.rejected = ImmutableMap.copyOf(counters);
    this.store =
        MessageStore.builder(ReplacementPolicy.<IdentityMessage>firstPerKey(IdentityMessage::pkiId))
            .name(INSTANCE)
            .meterRegistry(registry)
            .removalListener((m, cause) -> removed(m))
            .build();
    this.engine =
        PullEngine.builder(INSTANCE, new Adapter())
            .scheduler(scheduler)
            .meterRegistry(registry)
            .random(new SplittableRandom(random.nextLong()))
            .pullInterval(config.pullInterval())
            .digestWaitTime(config.digestWaitTime())
            .requestWaitTime(config.requestWaitTime())
            .responseWaitTime(config.responseWaitTime())
            .egressFilter(this::discloses)
            .listener((from, items) -> items.forEach(this::accept))
            .build();
    Identity own = msp.localIdentity();
    keep(new IdentityMessage(own.pkiId(), own.mspId(), own.serialized(), ownMessage(own)));
  }

  /** Subscribes to identity pull messages and starts the rounds. */
  void start() {
    synchronized (subscriptions) {
      subscriptions.add(comm.subscribe(IdentityPull::isIdentityPull, this::onMessage));
    }
    engine.start();
  }

  /** Stops the rounds and unsubscribes. Idempotent. */
  void stop() {
    engine.stop();
    synchronized (subscriptions) {
      subscriptions.forEach(Subscription::close);
      subscriptions.clear();
    }
  }

  /** Drops {@code peer}'s identity message: it is no longer advertised nor served. */
  void forget(PkiId peer) {
    engine.remove(peer.toHex());
    store.purge(m -> m.pkiId().equals(peer));
    byPkiId.remove(peer);
  }

  /** Whether an identity message of {@code peer} is held. */
  boolean has(PkiId peer) {
    return byPkiId.containsKey(peer);
  }

  /** How many identity messages are held, our own included. */
  int size() {
    return store.size();
  }

  // ---- receiving ----

  private static boolean isIdentityPull(ReceivedMessage m) {
    return PullMessages.typeOf(m.message()) == PullMsgType.IDENTITY_MSG;
  }

  private void onMessage(ReceivedMessage m) {
    PkiId from = m.senderPkiId();
    GossipMessage g = m.message();
    switch (m.contentCase()) {
      case HELLO -> engine.onHello(from, g.getHello().getNonce());
      case DATA_DIG ->
          engine.onDigest(from, hexes(g.getDataDig().getDigestsList()), g.getDataDig().getNonce());
      case DATA_REQ ->
          engine.onRequest(from, hexes(g.getDataReq().getDigestsList()), g.getDataReq().getNonce());
      case DATA_UPDATE -> onUpdate(from, g.getDataUpdate());
      default -> {
        // Not ours: the subscription's filter only lets the four pull messages through.
      }
    }
  }

  private void onUpdate(PkiId from, DataUpdate update) {
    List<String> items = new ArrayList<>(update.getDataCount());
    List<IdentityMessage> verified = new ArrayList<>(update.getDataCount());
    for (Envelope envelope : update.getDataList()) {
      verify(envelope, from)
          .ifPresent(
              m -> {
                verified.add(m);
                items.add(m.pkiId().toHex());
              });
    }
    verified.forEach(m -> pending.put(m.pkiId(), m));
    try {
      engine.onResponse(from, items, update.getNonce());
    } finally {
      verified.forEach(m -> pending.remove(m.pkiId(), m));
    }
  }

  /** The engine took {@code item}: store its message and put its identity into the mapper. */
  private void accept(String item) {
    IdentityMessage m = pending.get(PkiId.fromHex(item));
    if (m == null) {
      return;
    }
    keep(m);
    try {
      mapper.put(m.pkiId(), m.cert());
    } catch (InvalidIdentityException | IllegalStateException e) {
      log.debug("Pulled identity {} not kept by the mapper: {}", m.pkiId(), e.getMessage());
    }
  }

  /** The store let {@code m} go (purged, or evicted when full): stop advertising it. */
  private void removed(IdentityMessage m) {
    if (byPkiId.remove(m.pkiId(), m)) {
      engine.remove(m.pkiId().toHex());
    }
  }

  private void keep(IdentityMessage m) {
    if (store.add(m)) {
      byPkiId.put(m.pkiId(), m);
      engine.add(m.pkiId().toHex());
    }
  }

  private Optional<IdentityMessage> verify(Envelope envelope, PkiId from) {
    ReceivedEnvelope received;
    try {
      received = codec.decodeEmbedded(envelope);
    } catch (MalformedMessageException e) {
      return reject(Reason.MALFORMED, "from " + from + ": " + e.getMessage());
    }
    if (received.contentCase() != ContentCase.PEER_IDENTITY) {
      return reject(
          Reason.MALFORMED, "from " + from + ": " + received.contentCase() + " in an update");
    }
    PeerIdentity pi = received.message().getPeerIdentity();
    if (pi.getPkiId().isEmpty() || pi.getCert().isEmpty()) {
      return reject(Reason.MALFORMED, "from " + from + ": identity without PKI-ID or cert");
    }
    PkiId claimed = PkiId.of(pi.getPkiId().toByteArray());
    Bytes cert = Bytes.copyOf(pi.getCert().toByteArray());
    Identity identity;
    try {
      identity = msp.validate(cert);
    } catch (InvalidIdentityException e) {
      return reject(Reason.INVALID_IDENTITY, "identity of " + claimed + ": " + e.getMessage());
    }
    if (!identity.pkiId().equals(claimed)) {
      return reject(
          Reason.PKI_ID_MISMATCH, "identity of " + identity.pkiId() + " claimed for " + claimed);
    }
    if (envelope.getSignature().isEmpty()
        || !identity.verify(
            envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray())) {
      return reject(Reason.BAD_SIGNATURE, "identity message of " + claimed + " from " + from);
    }
    return Optional.of(new IdentityMessage(claimed, identity.mspId(), cert, envelope));
  }

  private Optional<IdentityMessage> reject(Reason reason, String detail) {
    requireNonNull(rejected.get(reason), "counter").increment();
    if (warned.add(reason)) {
      log.warn(
          "Refused a pulled identity message ({}): {}; further ones are counted in {} and logged"
              + " at debug",
          reason.metricTag(),
          detail,
          REJECTED_COUNTER);
    } else {
      log.debug("Refused a pulled identity message ({}): {}", reason.metricTag(), detail);
    }
    return Optional.empty();
  }

  // ---- disclosure ----

  /** Fabric's {@code sameOrgOrOurOrgPullFilter}. */
  private boolean discloses(PkiId requester, String item) {
    Optional<String> requesterOrg =
        comm.connection(requester).map(AuthenticatedPeer::identity).map(Identity::mspId);
    if (requesterOrg.isEmpty()) {
      return false;
    }
    if (requesterOrg.get().equals(self.mspId())) {
      return true;
    }
    PkiId about = PkiId.fromHex(item);
    IdentityMessage m = byPkiId.get(about);
    if (m == null) {
      return false;
    }
    Optional<Member> member = about.equals(self.pkiId()) ? Optional.of(self) : view.member(about);
    return member.flatMap(Member::externalEndpoint).isPresent()
        && (m.mspId().equals(self.mspId()) || m.mspId().equals(requesterOrg.get()));
  }

  // ---- sending ----

  private Envelope ownMessage(Identity self) {
    GossipMessage message =
        GossipMessage.newBuilder()
            .setNonce(0)
            .setTag(GossipMessage.Tag.ORG_ONLY)
            .setPeerIdentity(
                PeerIdentity.newBuilder()
                    .setPkiId(byteString(self.pkiId().bytes()))
                    .setCert(byteString(self.serialized())))
            .build();
    ByteString payload = message.toByteString();
    return WireCodec.envelopeOf(
        payload, UnsafeByteOperations.unsafeWrap(msp.sign(payload.toByteArray())));
  }

  private void send(GossipMessage.Builder message, PkiId dest) {
    try {
      comm.send(codec.encode(message.setTag(GossipMessage.Tag.EMPTY).build()), dest);
    } catch (MalformedMessageException e) {
      log.warn("Cannot send an identity pull message to {}: {}", dest, e.getMessage());
    }
  }

  private static List<String> hexes(List<ByteString> digests) {
    List<String> out = new ArrayList<>(digests.size());
    for (ByteString d : digests) {
      if (!d.isEmpty()) {
        out.add(Bytes.copyOf(d.toByteArray()).toHex());
      }
    }
    return out;
  }

  private static List<ByteString> digests(List<String> items) {
    List<ByteString> out = new ArrayList<>(items.size());
    for (String item : items) {
      out.add(byteString(PkiId.fromHex(item).bytes()));
    }
    return out;
  }

  private static ByteString byteString(Bytes bytes) {
    return UnsafeByteOperations.unsafeWrap(bytes.asReadOnlyByteBuffer());
  }

  /** The engine's window on the network: the four pull messages with {@code IDENTITY_MSG}. */
  private final class Adapter implements PullAdapter<PkiId> {

    @Override
    public List<PkiId> selectPeers() {
      return RandomPeers.choose(candidates.get(), pullPeerNum, random);
    }

    @Override
    public void hello(PkiId dest, long nonce) {
      send(PullMessages.hello(PullMsgType.IDENTITY_MSG, nonce), dest);
    }

    @Override
    public void sendDigest(PkiId dest, List<String> items, long nonce) {
      send(PullMessages.digest(PullMsgType.IDENTITY_MSG, nonce, digests(items)), dest);
    }

    @Override
    public void sendRequest(PkiId dest, List<String> items, long nonce) {
      send(PullMessages.request(PullMsgType.IDENTITY_MSG, nonce, digests(items)), dest);
    }

    @Override
    public void sendResponse(PkiId dest, List<String> items, long nonce) {
      List<Envelope> found = new ArrayList<>(items.size());
      for (String item : items) {
        IdentityMessage m = byPkiId.get(PkiId.fromHex(item));
        if (m != null) {
          found.add(m.envelope());
        }
      }
      if (!found.isEmpty()) {
        send(PullMessages.update(PullMsgType.IDENTITY_MSG, nonce, found), dest);
      }
    }
  }

  @Override
  public String toString() {
    return "IdentityPull{" + store.size() + " identities}";
  }
}
