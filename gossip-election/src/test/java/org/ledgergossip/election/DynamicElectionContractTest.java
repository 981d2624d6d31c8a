package org.ledgergossip.election;

import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.tck.ElectionContract;

/** The {@code dynamic} provider passes the election contract with Fabric's timers. */
class DynamicElectionContractTest extends ElectionContract {

  @Override
  protected ElectionStrategyProvider provider() {
    return new DynamicElectionProvider();
  }
}
