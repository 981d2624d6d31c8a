package org.ledgergossip.election;

import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.LeadershipMessage;

/** Leader iff {@code orgLeader}, fixed for its life. Called on the context's scheduler only. */
final class StaticElection implements ElectionStrategy {

  private final ElectionContext context;
  private boolean started;
  private boolean closed;
  private boolean leader;

  StaticElection(ElectionContext context) {
    this.context = context;
  }

  @Override
  public void start() {
    if (started || closed) {
      return;
    }
    started = true;
    if (context.settings().orgLeader()) {
      leader = true;
      context.leadershipChanged(true, "peer.gossip.orgLeader is true (static election)");
    }
  }

  @Override
  public void onMessage(LeadershipMessage message) {
    // A static leader neither proposes nor listens.
  }

  @Override
  public boolean isLeader() {
    return leader;
  }

  @Override
  public void yieldLeadership() {
    // A static leader cannot hand over: nobody else would take it.
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (leader) {
      leader = false;
      context.leadershipChanged(false, "election closed");
    }
  }
}
