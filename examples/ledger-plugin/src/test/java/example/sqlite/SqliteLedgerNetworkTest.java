package example.sqlite;

import java.util.Map;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.tck.network.NetworkContract;
import org.ledgergossip.tck.network.TckNetwork;

/**
 * The kit's network rules with the {@code sqlite} store in every node (two organisations of four
 * peers, the ordering-service emulator, dynamic election, virtual time), at its default durability
 * ({@code synchronous=FULL}).
 */
// tag::network[]
class SqliteLedgerNetworkTest extends NetworkContract {

  @Override
  protected void configure(GossipNode.Builder node, TckNetwork.Peer peer) {
    node.ledger("sqlite", Map.of());
  }
// end::network[]
}
