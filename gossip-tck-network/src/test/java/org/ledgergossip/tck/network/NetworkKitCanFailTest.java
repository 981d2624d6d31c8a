package org.ledgergossip.tck.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.tck.ContractRun;

/**
 * The network rules can fail: with a ledger plugin that loses its last block on reopen, exactly the
 * catch-up rule (the only one that restarts a peer) fails, and the report says so.
 */
class NetworkKitCanFailTest {

  @Test
  void aLedgerThatLosesItsLastBlockOnReopenFailsTheCatchUpRuleOnly() {
    ContractRun run = ContractRun.of(ForgetfulLedgerNetworkContract.class);

    assertThat(run.failed())
        .as(run.report())
        .containsExactly("required_restartedAndNewPeersCatchUp");
    assertThat(run.succeeded())
        .containsExactlyInAnyOrder(
            "required_membershipConvergesAcrossOrganisations",
            "required_everyPeerCommitsEveryBlockExactlyOnceInOrder",
            "optional_oneLeaderPerOrganisationAndFailover");
  }

  /** The rules on the forgetful plugin. Not run by Surefire directly (nested). */
  static class ForgetfulLedgerNetworkContract extends NetworkContract {
    @Override
    protected void configure(GossipNode.Builder node, TckNetwork.Peer peer) {
      node.ledger("forgetful", java.util.Map.of());
    }
  }
}
