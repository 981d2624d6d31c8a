package org.ledgergossip.spi.election;

import static java.util.Objects.requireNonNull;

import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;

/**
 * A verified leadership message of Fabric's protocol ({@code gossip.LeadershipMessage}): a proposal
 * to become leader, or a declaration of being leader. The core has already checked its signature,
 * that the sender is an alive same-organisation member of the channel, and that it is newer than
 * the last one from the same sender.
 *
 * @param sender the PKI-ID of the peer that signed it
 * @param timestamp its freshness stamp
 * @param declaration true for a declaration (heartbeat of a leader), false for a proposal
 */
public record LeadershipMessage(PkiId sender, PeerTime timestamp, boolean declaration) {

  /**
   * @throws NullPointerException if a component is null
   */
  public LeadershipMessage {
    requireNonNull(sender, "sender");
    requireNonNull(timestamp, "timestamp");
  }
}
