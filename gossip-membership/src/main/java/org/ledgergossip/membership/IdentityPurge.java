package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.identity.IdentityMapper;
import org.ledgergossip.core.internal.identity.IdentityMapper.PurgeReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Discovery} does when the {@link IdentityMapper} removes a peer's identity, after
 * Fabric's purge trigger in {@code gossip_impl.go}. Each removal is counted in {@value
 * #REMOVED_COUNTER}{@code {reason}}.
 *
 * <ul>
 *   <li>{@code EXPIRED} or {@code INVALID} (revoked, CA no longer trusted): the peer's identity
 *       message leaves the identity pull, its latest alive message is dropped, its connection is
 *       closed and the view {@linkplain MembershipView#forget forgets} it ({@code PURGED}),
 *       bootstrap or not. Its later alive messages are refused by {@link AliveIntake} for want of a
 *       valid identity, and its new handshakes by the comm's MSP.
 *   <li>{@code UNUSED} (no alive message verified with it for the usage threshold, an hour by
 *       default): only the identity message leaves the pull. Unlike Fabric the view and the
 *       connection are left alone: nothing is wrong with the identity, the view's own expiry deals
 *       with silent peers, and a bootstrap or anchor peer stays known as the view promises; should
 *       the peer speak again, its identity is learnt again from its handshake or alive message.
 *   <li>This peer's own identity (revoked or expired) is only logged: there is nothing to forget.
 * </ul>
 *
 * <p>Thread-safe; called on the scheduler (expiry, usage purge) or on the thread that re-validates.
 */
final class IdentityPurge implements IdentityMapper.PurgeListener {

  /** The counter of peers forgotten because their identity was removed; tag {@code reason}. */
  static final String REMOVED_COUNTER = "gossip_membership_identity_removals_total";

  private static final Logger log = LoggerFactory.getLogger(IdentityPurge.class);

  private final PkiId self;
  private final Comm comm;
  private final MembershipView view;
  private final AliveIntake intake;
  private final IdentityPull pull;
  private final ImmutableMap<PurgeReason, Counter> removed;

  IdentityPurge(
      Comm comm,
      MembershipView view,
      AliveIntake intake,
      IdentityPull pull,
      MeterRegistry registry) {
    this.comm = requireNonNull(comm, "comm");
    this.self = comm.self();
    this.view = requireNonNull(view, "view");
    this.intake = requireNonNull(intake, "intake");
    this.pull = requireNonNull(pull, "pull");
    Map<PurgeReason, Counter> counters = new EnumMap<>(PurgeReason.class);
    for (PurgeReason r : PurgeReason.values()) {
      counters.put(
          r,
          Counter.builder(REMOVED_COUNTER)
              .description("Peers forgotten because their identity left the identity mapper")
              .tag("reason", r.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    this.removed = ImmutableMap.copyOf(counters);
  }

  @Override
  public void onPurged(PkiId pkiId, PurgeReason reason, String detail) {
    if (pkiId.equals(self)) {
      log.warn("This peer's own identity was removed ({}): {}", reason, detail);
      return;
    }
    requireNonNull(removed.get(reason), "counter").increment();
    pull.forget(pkiId);
    if (reason == PurgeReason.UNUSED) {
      return;
    }
    intake.forget(pkiId);
    // Close before forgetting, so that no alive message on the old connection re-adds the peer
    // between the two (AliveIntake would refuse it anyway: the mapper re-validates).
    comm.connection(pkiId).ifPresent(peer -> peer.connection().close());
    view.forget(pkiId);
  }

  @Override
  public String toString() {
    return "IdentityPurge{" + self + "}";
  }
}
