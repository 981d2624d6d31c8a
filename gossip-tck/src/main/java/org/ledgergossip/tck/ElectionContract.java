package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.election.ElectionSettings;
import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.spi.election.LeadershipMessage;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * The rules of a dynamic {@link org.ledgergossip.spi.election.ElectionStrategy}, on an {@link
 * ElectionGroup} of {@link #peers()} peers in virtual time. Extend it and give the provider:
 *
 * <pre>{@code
 * class DynamicElectionContractTest extends ElectionContract {
 *   protected ElectionStrategyProvider provider() { return new DynamicElectionProvider(); }
 * }
 * }</pre>
 *
 * <p>Bounds, with T = {@code leaderAliveThreshold}, D = {@code leaderElectionDuration} and the
 * slack {@link #slack()} (default T / 2, one alive interval): a group started together has exactly
 * one leader within {@code startupGracePeriod + D + slack}; after the leader dies, after a
 * partition (one per side) and after the leader yields (another peer) within {@code T + D + slack};
 * after a heal within {@code T + slack}. "Exactly one" is then checked every 100 ms for {@link
 * #stableFor()}.
 */
public abstract class ElectionContract {

  private static final Duration STEP = Duration.ofMillis(100);

  /** The group of the running rule. */
  protected ElectionGroup group;

  /** The provider under test; called once per rule. */
  protected abstract ElectionStrategyProvider provider();

  /**
   * The settings of every peer: Fabric's timers with a 3 s grace period (grace 3 s, sample 1 s,
   * alive threshold 10 s, election 5 s), dynamic election on.
   */
  protected ElectionSettings settings() {
    return new ElectionSettings(
        true,
        false,
        Duration.ofSeconds(3),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5));
  }

  /** Peers in the group; 5 unless overridden (at least 4). */
  protected int peers() {
    return 5;
  }

  /** One-way latency of the simulated bus; 10 ms unless overridden. */
  protected Duration latency() {
    return Duration.ofMillis(10);
  }

  /** Allowed lateness over the algorithm's bounds; half the alive threshold unless overridden. */
  protected Duration slack() {
    return settings().leaderAliveThreshold().dividedBy(2);
  }

  /** How long a settled state is checked to stay settled; twice the alive threshold. */
  protected Duration stableFor() {
    return settings().leaderAliveThreshold().multipliedBy(2);
  }

  @BeforeEach
  final void createGroup() {
    group = new ElectionGroup(provider(), settings(), peers(), new VirtualScheduler(), latency());
  }

  @AfterEach
  final void closeGroup() {
    for (int i = 0; i < group.size(); i++) {
      if (group.isAlive(i)) {
        group.kill(i);
      }
    }
    group.scheduler().close();
  }

  @Test
  void required_aGroupStartedTogetherEventuallyHasExactlyOneLeader() {
    int leader = startAndSettle();
    assertThat(leader).isBetween(0, group.size() - 1);
  }

  @Test
  void required_leaderDeathElectsExactlyOneNewLeaderWithinTheBound() {
    int old = startAndSettle();
    group.kill(old);
    awaitOneLeaderPerSide("after the leader died", failoverBound());
    assertThat(group.leaders()).doesNotContain(old);
    assertStable("after the leader died");
  }

  @Test
  void required_aPartitionElectsOneLeaderPerSide() {
    int leader = startAndSettle();
    partitionAround(leader);
    awaitOneLeaderPerSide("after a partition", failoverBound());
    assertThat(group.leadersBySide()).hasSize(2);
    assertStable("after a partition");
  }

  @Test
  void required_healingAPartitionLeavesExactlyOneLeader() {
    int leader = startAndSettle();
    partitionAround(leader);
    awaitOneLeaderPerSide("after a partition", failoverBound());
    group.heal();
    awaitOneLeaderPerSide("after the heal", settings().leaderAliveThreshold().plus(slack()));
    assertThat(group.leaders()).hasSize(1);
    assertStable("after the heal");
  }

  @Test
  void required_aYieldingLeaderHandsOverToAnotherPeer() {
    int old = startAndSettle();
    group.scheduler().execute(() -> group.strategy(old).yieldLeadership());
    group.scheduler().runUntilIdle();
    assertThat(group.strategy(old).isLeader()).as("leader after yielding").isFalse();
    assertThat(group.reportedLeader(old)).as("reported leadership after yielding").isFalse();
    awaitOneLeaderPerSide("after the leader yielded", failoverBound());
    assertThat(group.leaders()).doesNotContain(old);
    assertStable("after the leader yielded");
  }

  @Test
  void required_closingTheLeaderReportsTheLoss() {
    int old = startAndSettle();
    group.kill(old);
    assertThat(group.strategy(old).isLeader()).isFalse();
    assertThat(group.reportedLeader(old)).isFalse();
  }

  @Test
  void required_aDeclarationFromAPeerOutsideTheViewChangesNothing() {
    startAndSettle();
    LeadershipMessage stranger =
        new LeadershipMessage(
            PkiId.of(new byte[] {0}), new PeerTime(Long.MAX_VALUE, Long.MAX_VALUE), true);
    for (int i = 0; i < group.size(); i++) {
      group.inject(i, stranger);
    }
    assertStable("after a declaration from a peer outside the view");
  }

  @Test
  void required_aReplayedDeclarationChangesNothing() {
    int first = startAndSettle();
    group.scheduler().advanceBy(settings().leaderAliveThreshold());
    LeadershipMessage old = group.lastSent(first);
    assumeTrue(
        old != null && old.declaration(), "the strategy sends no declarations: nothing to replay");
    group.kill(first);
    awaitOneLeaderPerSide("after the leader died", failoverBound());
    group.restart(first);
    awaitOneLeaderPerSide(
        "after the old leader restarted", settings().startupGracePeriod().plus(failoverBound()));
    assertStable("after the old leader restarted");
    for (int i = 0; i < group.size(); i++) {
      if (i != first) {
        group.inject(i, old);
      }
    }
    assertStable("after its last declaration before the restart was replayed");
  }

  /** T + D + slack. */
  private Duration failoverBound() {
    ElectionSettings s = settings();
    return s.leaderAliveThreshold().plus(s.leaderElectionDuration()).plus(slack());
  }

  /** Starts every peer, waits for the one leader, checks it stays; returns it. */
  protected final int startAndSettle() {
    group.startAll();
    ElectionSettings s = settings();
    awaitOneLeaderPerSide(
        "after a joint start",
        s.startupGracePeriod().plus(s.leaderElectionDuration()).plus(slack()));
    assertStable("after a joint start");
    List<Integer> leaders = group.leaders();
    assertThat(leaders).hasSize(1);
    return leaders.get(0);
  }

  /** The leader and one more peer on one side, the rest on the other. */
  private void partitionAround(int leader) {
    int other = (leader + 1) % group.size();
    group.partition(new int[] {leader, other});
  }

  /** Runs until every side has exactly one leader, failing if {@code bound} passes first. */
  protected final void awaitOneLeaderPerSide(String when, Duration bound) {
    boolean ok = group.scheduler().runUntil(group::oneLeaderPerSide, bound);
    assertThat(ok).as("exactly one leader per side within %s %s: %s", bound, when, group).isTrue();
    assertThat(group.inconsistentPeers()).as("isLeader() agrees with the reports").isEmpty();
  }

  /** Checks every 100 ms for {@link #stableFor()} that the leaders do not change. */
  protected final void assertStable(String when) {
    Map<Integer, List<Integer>> settled = group.leadersBySide();
    List<String> changes = new ArrayList<>();
    long steps = stableFor().toMillis() / STEP.toMillis();
    for (long i = 0; i < steps && changes.isEmpty(); i++) {
      group.scheduler().advanceBy(STEP);
      if (!group.leadersBySide().equals(settled)) {
        changes.add(group.toString());
      }
    }
    assertThat(changes).as("leaders changed %s, were %s", when, settled).isEmpty();
    assertThat(group.inconsistentPeers()).as("isLeader() agrees with the reports").isEmpty();
  }
}
