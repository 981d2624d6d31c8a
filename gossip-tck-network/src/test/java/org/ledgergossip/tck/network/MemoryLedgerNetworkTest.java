package org.ledgergossip.tck.network;

import java.util.Map;
import org.ledgergossip.node.GossipNode;

/** The network rules with the {@code memory} ledger store and the {@code dynamic} election. */
class MemoryLedgerNetworkTest extends NetworkContract {
  @Override
  protected void configure(GossipNode.Builder node, TckNetwork.Peer peer) {
    node.ledger("memory", Map.of()).election("dynamic");
  }
}
