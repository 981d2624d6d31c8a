package org.ledgergossip.election;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.spi.election.LeadershipMessage;
import org.ledgergossip.tck.ContractRun;
import org.ledgergossip.tck.ElectionContract;

/**
 * The election contract catches a strategy without the freshness check: the dynamic strategy fed
 * every message with an ever newer stamp (so a replay looks fresh) fails the replay rule, and only
 * it.
 */
class ElectionKitCatchesReplaysTest {

  @Test
  void withoutTheFreshnessCheckTheReplayRuleFails() {
    ContractRun run = ContractRun.of(FreshnessBlindContract.class);
    assertThat(run.failed())
        .as(run.report())
        .containsExactly("required_aReplayedDeclarationChangesNothing");
  }

  /** The contract on the freshness-blind dynamic strategy. Not run by Surefire directly. */
  static final class FreshnessBlindContract extends ElectionContract {
    @Override
    protected ElectionStrategyProvider provider() {
      DynamicElectionProvider dynamic = new DynamicElectionProvider();
      return new ElectionStrategyProvider() {
        @Override
        public String name() {
          return "freshness-blind";
        }

        @Override
        public int priority() {
          return -100;
        }

        @Override
        public ElectionStrategy create(ElectionContext context) {
          return new FreshnessBlind(dynamic.create(context));
        }
      };
    }
  }

  /** Restamps every message as newer than any before it. */
  static final class FreshnessBlind implements ElectionStrategy {
    private final ElectionStrategy inner;
    private long seq;

    FreshnessBlind(ElectionStrategy inner) {
      this.inner = inner;
    }

    @Override
    public void start() {
      inner.start();
    }

    @Override
    public void onMessage(LeadershipMessage m) {
      inner.onMessage(
          new LeadershipMessage(m.sender(), new PeerTime(Long.MAX_VALUE, ++seq), m.declaration()));
    }

    @Override
    public boolean isLeader() {
      return inner.isLeader();
    }

    @Override
    public void yieldLeadership() {
      inner.yieldLeadership();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
