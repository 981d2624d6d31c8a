package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.Sets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.MessageDeduplicator;
import org.ledgergossip.core.internal.emitter.BatchingEmitter;
import org.ledgergossip.core.internal.identity.IdentityMapper;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.membership.AliveMessages.Accepted;
import org.ledgergossip.membership.MembershipView.Outcome;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of {@link Discovery}'s alive messages: each received alive envelope is
 * deduplicated ({@link MessageDeduplicator}) before it is verified ({@link AliveMessages#verify},
 * the signer known from an earlier message or a handshake, or introduced by the identity carried),
 * then applied to the {@link MembershipView}; a fresh one is kept as the peer's latest envelope
 * (for membership responses) and forwarded, as received, through the emitter to all but the peer it
 * came from (to the peers {@link DisclosurePolicy#decideForward} allows). Refusals are counted by
 * the deduplicator and by {@link AliveMessages}.
 *
 * <p>Signers are looked up in the {@link IdentityMapper} (which marks them used); an identity
 * learnt from a handshake or carried by an alive message enters the mapper only if it validates
 * there, so a peer whose identity expired or was revoked, and was removed from the mapper, cannot
 * come back through an old connection or a forwarded message: its alive messages are refused as
 * {@link AliveMessages.Reason#UNKNOWN_IDENTITY}.
 *
 * <p>Thread-safe (concurrent maps; the collaborators are thread-safe). Arguments must not be null.
 */
final class AliveIntake {

  private static final Logger log = LoggerFactory.getLogger(AliveIntake.class);

  private static final Set<Outcome> FRESH =
      Sets.immutableEnumSet(
          Outcome.JOINED, Outcome.UPDATED, Outcome.REFRESHED, Outcome.ALIVE_AGAIN);

  private final PkiId self;
  private final Comm comm;
  private final MessageDeduplicator dedup;
  private final AliveMessages aliveMessages;
  private final MembershipView view;
  private final BatchingEmitter<AliveEmission, PkiId> emitter;
  private final Map<PkiId, Envelope> latest = new ConcurrentHashMap<>();
  private final IdentityMapper identities;

  AliveIntake(
      Comm comm,
      MessageDeduplicator dedup,
      AliveMessages aliveMessages,
      MembershipView view,
      BatchingEmitter<AliveEmission, PkiId> emitter,
      IdentityMapper identities) {
    this.comm = requireNonNull(comm, "comm");
    this.self = comm.self();
    this.dedup = requireNonNull(dedup, "dedup");
    this.aliveMessages = requireNonNull(aliveMessages, "aliveMessages");
    this.view = requireNonNull(view, "view");
    this.emitter = requireNonNull(emitter, "emitter");
    this.identities = requireNonNull(identities, "identities");
  }

  /** Remembers the identity a peer proved in its handshake. */
  void authenticated(AuthenticatedPeer peer) {
    learn(peer.pkiId(), peer.identity());
  }

  /** Drops what is kept of {@code peer} (its identity left the mapper). */
  void forget(PkiId peer) {
    latest.remove(peer);
  }

  /** The latest fresh alive envelope received from {@code peer}, or null. */
  @Nullable Envelope latest(PkiId peer) {
    return latest.get(peer);
  }

  /**
   * Dedups, verifies and applies an alive message; forwards it if fresh, never back to {@code
   * from}.
   */
  void alive(ReceivedEnvelope received, PkiId from) {
    Optional<AliveRecord> record = verifiedFirstSeen(received);
    if (record.isEmpty()) {
      return;
    }
    Outcome outcome = view.onAlive(record.get(), mspOf(record.get().pkiId()));
    if (FRESH.contains(outcome)) {
      latest.put(record.get().pkiId(), received.envelope());
      emitter.add(
          new AliveEmission(
              received.frame().toByteArray(),
              received.envelope(),
              mspOf(record.get().pkiId()),
              record.get().externalEndpoint().isPresent()),
          from);
    }
  }

  /** A dead message of a response: teaches only an unknown peer, which is marked dead at once. */
  void dead(ReceivedEnvelope received) {
    Optional<AliveRecord> record = verifiedFirstSeen(received);
    if (record.isEmpty() || view.member(record.get().pkiId()).isPresent()) {
      return;
    }
    PkiId peer = record.get().pkiId();
    if (view.onAlive(record.get(), mspOf(peer)) == Outcome.JOINED) {
      latest.put(peer, received.envelope());
      view.markDead(peer);
    }
  }

  private Optional<AliveRecord> verifiedFirstSeen(ReceivedEnvelope received) {
    if (!dedup.firstSeen(received)
        || !(aliveMessages.verify(received, this::identityOf) instanceof Accepted accepted)
        || accepted.record().pkiId().equals(self)) {
      return Optional.empty();
    }
    PkiId peer = accepted.record().pkiId();
    if (!identities.contains(peer) && learn(peer, accepted.signer()).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(accepted.record());
  }

  private String mspOf(PkiId peer) {
    return identityOf(peer).map(Identity::mspId).orElse("");
  }

  private Optional<Identity> identityOf(PkiId pkiId) {
    Optional<Identity> known = identities.get(pkiId);
    return known.isPresent()
        ? known
        : comm.connection(pkiId).flatMap(peer -> learn(peer.pkiId(), peer.identity()));
  }

  /** Puts {@code identity} into the mapper, which validates it again (expiry, revocation). */
  private Optional<Identity> learn(PkiId pkiId, Identity identity) {
    try {
      return Optional.of(identities.put(pkiId, identity.serialized()));
    } catch (InvalidIdentityException | IllegalStateException e) {
      log.debug("Identity of {} not kept: {}", pkiId, e.getMessage());
      return Optional.empty();
    }
  }
}
