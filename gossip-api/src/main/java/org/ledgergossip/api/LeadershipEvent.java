package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.time.Instant;

/**
 * This peer gained or lost the leadership of its organisation in a channel. The leader is the peer
 * that pulls blocks from the ordering service.
 *
 * @param channel the channel name
 * @param leader true if this peer became the leader, false if it stopped being the leader
 * @param reason why, in words for a log line (for example {@code "lowest PKI-ID among 3
 *     candidates"}, {@code "declaration from lower PKI-ID 1a2b..."}, {@code "yielded: ordering
 *     service unreachable"})
 * @param at when, from the node's clock
 */
@Immutable
public record LeadershipEvent(String channel, boolean leader, String reason, Instant at) {

  /**
   * @throws NullPointerException if any component is null
   */
  public LeadershipEvent {
    requireNonNull(channel, "channel");
    requireNonNull(reason, "reason");
    requireNonNull(at, "at");
  }
}
