package org.ledgergossip.node;

import org.ledgergossip.api.Block;
import org.ledgergossip.api.LeadershipEvent;
import org.ledgergossip.api.MembershipEvent;

/**
 * Receives what happens to a {@link GossipNode}. Every method has an empty default, so a listener
 * overrides only what it needs.
 *
 * <p><b>Threading.</b> Callbacks run on the node's threads (its scheduler, or the committer for
 * {@link #onCommit}), one at a time per kind; they must return quickly and must not call back into
 * the node's lifecycle ({@code start}, {@code close}). An exception thrown by a listener is logged
 * and does not reach the node.
 */
public interface NodeListener {

  /** A peer joined, came back, died or was purged from this node's membership view. */
  default void onMembership(MembershipEvent event) {}

  /** This node gained or lost the leadership of its organisation in a channel. */
  default void onLeadership(LeadershipEvent event) {}

  /** {@code block} of {@code channel} is now in the ledger; called in block order per channel. */
  default void onCommit(String channel, Block block) {}
}
