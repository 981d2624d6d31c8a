package org.ledgergossip.spi.election;

import java.util.Set;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;

/**
 * What the core gives an {@link ElectionStrategy} of one channel. Thread-safe.
 *
 * <p>The strategy's own state should be touched only from {@link #scheduler()} tasks; {@link
 * ElectionStrategy#onMessage} is called on that scheduler too.
 */
public interface ElectionContext {

  /** The channel this election is for. */
  String channel();

  /** This peer's PKI-ID. */
  PkiId self();

  /** The timers and settings of {@code peer.gossip.election.*} and the two leader flags. */
  ElectionSettings settings();

  /** The scheduler the strategy runs on. */
  Scheduler scheduler();

  /**
   * PKI-IDs of the alive members of this peer's organisation in the channel, not including self.
   */
  Set<PkiId> alivePeers();

  /**
   * Signs and gossips a leadership message from this peer to the organisation's channel members.
   *
   * @param declaration true to declare leadership, false to propose
   */
  void gossip(boolean declaration);

  /**
   * Tells the core that this peer's leadership changed: on {@code true} it starts pulling blocks
   * from the ordering service, on {@code false} it stops.
   *
   * @param reason in words, for the log and the leadership event
   */
  void leadershipChanged(boolean leader, String reason);

  /**
   * Tells the core that the strategy dropped a leadership message (stale or replayed stamp, sender
   * not an alive member, sent by this peer); the core counts it in its metrics. Called on the
   * scheduler. The default does nothing.
   *
   * @param message the dropped message
   * @param reason in a few words, usable as a metric tag ({@code "stale"}, {@code "not-alive"},
   *     {@code "self"})
   */
  default void messageDropped(LeadershipMessage message, String reason) {}
}
