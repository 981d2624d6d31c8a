package org.ledgergossip.tck.network;

import java.util.Map;
import org.ledgergossip.node.GossipNode;

/** The network rules with the {@code file} ledger store (the default) and dynamic election. */
class FileLedgerNetworkTest extends NetworkContract {
  @Override
  protected void configure(GossipNode.Builder node, TckNetwork.Peer peer) {
    node.ledger("file", Map.of("file.fsync", "never"));
  }
}
