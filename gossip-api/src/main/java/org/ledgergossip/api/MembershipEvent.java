package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.time.Instant;

/**
 * A change in what this peer knows of another peer, given to membership listeners.
 *
 * @param type what happened
 * @param member the peer as known after the change
 * @param at when this peer noticed, from the node's clock
 */
@Immutable
public record MembershipEvent(Type type, Member member, Instant at) {

  /** What happened to a member. */
  public enum Type {
    /** First alive message seen from this PKI-ID. */
    JOINED,
    /** A newer alive message carried different metadata or endpoints. */
    UPDATED,
    /** No alive message for {@code aliveExpirationTimeout}, or a send to it failed. */
    DEAD,
    /** A peer believed dead sent a newer alive message. */
    ALIVE_AGAIN,
    /**
     * Forgotten: dead for {@code aliveExpirationTimeout × msgExpirationFactor}, or at once when its
     * identity expired or was revoked.
     */
    PURGED
  }

  /**
   * @throws NullPointerException if any component is null
   */
  public MembershipEvent {
    requireNonNull(type, "type");
    requireNonNull(member, "member");
    requireNonNull(at, "at");
  }
}
