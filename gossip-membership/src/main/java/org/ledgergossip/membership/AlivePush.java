package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.wire.WireCodec;

/**
 * The peer selector and the sender of {@link Discovery}'s alive-message emitter: an alive message
 * is pushed only to the alive, connected peers {@link DisclosurePolicy#decideForward} allows, and
 * without its secret envelope to peers of other organisations.
 *
 * <p>Thread-safe (the view and the comm are); called from the emitter's flushes.
 */
final class AlivePush {

  private final Comm comm;
  private final MembershipView view;
  private final WireCodec codec;
  private final String selfMspId;

  AlivePush(Comm comm, MembershipView view, WireCodec codec, String selfMspId) {
    this.comm = requireNonNull(comm, "comm");
    this.view = requireNonNull(view, "view");
    this.codec = requireNonNull(codec, "codec");
    this.selfMspId = requireNonNull(selfMspId, "selfMspId");
  }

  /** The alive connected peers {@code m} may be pushed to. */
  List<PkiId> targets(AliveEmission m) {
    List<PkiId> out = new ArrayList<>();
    for (Member member : view.alive()) {
      if (disclosure(m, member).mayDisclose() && comm.connection(member.pkiId()).isPresent()) {
        out.add(member.pkiId());
      }
    }
    return out;
  }

  /** Sends each peer its messages, stripped of their secret envelope outside our organisation. */
  void emit(Map<PkiId, List<AliveEmission>> byDestination) {
    byDestination.forEach(
        (peer, messages) -> {
          Optional<Member> to = view.member(peer);
          if (to.isEmpty()) {
            return;
          }
          for (AliveEmission m : messages) {
            m.frameFor(disclosure(m, to.get()), codec).ifPresent(frame -> comm.send(frame, peer));
          }
        });
  }

  private DisclosurePolicy.Disclosure disclosure(AliveEmission m, Member to) {
    return DisclosurePolicy.decideForward(
        selfMspId,
        m.aboutMspId(),
        m.aboutHasExternalEndpoint(),
        to.mspId(),
        to.externalEndpoint().isPresent());
  }
}
