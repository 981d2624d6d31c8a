package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.spi.election.LeadershipMessage;

/**
 * The election contract can fail: a strategy that makes the lowest PKI-ID of its view leader but
 * never steps down nor yields keeps two leaders after a heal and the yielder in office, and fails
 * exactly those two rules; the rules it does satisfy pass, and the replay rule, with no declaration
 * to replay, is skipped.
 */
class ElectionKitCanFailTest {

  @Test
  void aStrategyThatNeverStepsDownFailsTheHealAndYieldRules() {
    ContractRun run = ContractRun.of(NeverStepsDownContract.class);
    assertThat(run.failed())
        .as(run.report())
        .containsExactlyInAnyOrder(
            "required_healingAPartitionLeavesExactlyOneLeader",
            "required_aYieldingLeaderHandsOverToAnotherPeer");
    assertThat(run.succeeded())
        .containsExactlyInAnyOrder(
            "required_aGroupStartedTogetherEventuallyHasExactlyOneLeader",
            "required_leaderDeathElectsExactlyOneNewLeaderWithinTheBound",
            "required_aPartitionElectsOneLeaderPerSide",
            "required_closingTheLeaderReportsTheLoss",
            "required_aDeclarationFromAPeerOutsideTheViewChangesNothing");
    assertThat(run.skipped())
        .as("it sends no declarations, so the replay rule has nothing to replay")
        .containsExactly("required_aReplayedDeclarationChangesNothing");
  }

  /** The contract on {@link NeverStepsDown}. Not run by Surefire directly (nested). */
  static final class NeverStepsDownContract extends ElectionContract {
    @Override
    protected ElectionStrategyProvider provider() {
      return new ElectionStrategyProvider() {
        @Override
        public String name() {
          return "never-steps-down";
        }

        @Override
        public int priority() {
          return -100;
        }

        @Override
        public ElectionStrategy create(ElectionContext context) {
          return new NeverStepsDown(context);
        }
      };
    }
  }

  /**
   * Broken on purpose: every alive threshold / 2 after the grace period, leads if its PKI-ID is the
   * lowest of its view; once leader, stays leader until closed. Sends nothing.
   */
  static final class NeverStepsDown implements ElectionStrategy {
    private final ElectionContext context;
    private Cancellable tick;
    private boolean leader;

    NeverStepsDown(ElectionContext context) {
      this.context = context;
    }

    @Override
    public void start() {
      Duration period = context.settings().leaderAliveThreshold().dividedBy(2);
      tick =
          context
              .scheduler()
              .scheduleAtFixedRate(this::check, context.settings().startupGracePeriod(), period);
    }

    private void check() {
      if (leader) {
        return;
      }
      for (PkiId p : context.alivePeers()) {
        if (p.compareTo(context.self()) < 0) {
          return;
        }
      }
      leader = true;
      context.leadershipChanged(true, "lowest of the view");
    }

    @Override
    public void onMessage(LeadershipMessage message) {}

    @Override
    public boolean isLeader() {
      return leader;
    }

    @Override
    public void yieldLeadership() {}

    @Override
    public void close() {
      if (tick != null) {
        tick.cancel();
      }
      if (leader) {
        leader = false;
        context.leadershipChanged(false, "closed");
      }
    }
  }
}
