package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import org.ledgergossip.api.Member;
import org.ledgergossip.api.PeerTime;

/**
 * A member of a channel as a {@link GossipChannel} knows it: an alive peer of one of the channel's
 * organisations whose latest state info for the channel says it has not left.
 *
 * @param member the peer, as the membership view knows it
 * @param ledgerHeight the ledger height of its latest state info
 * @param stateInfoTime the stamp of that state info
 */
public record ChannelMember(Member member, long ledgerHeight, PeerTime stateInfoTime) {

  /**
   * Checks that no component is null.
   *
   * @throws NullPointerException if one is
   */
  public ChannelMember {
    requireNonNull(member, "member");
    requireNonNull(stateInfoTime, "stateInfoTime");
  }
}
