package org.ledgergossip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.spi.election.ElectionSettings;
import org.ledgergossip.spi.election.LeadershipMessage;
import org.ledgergossip.tck.ElectionGroup;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** The {@code static} strategy: leader iff orgLeader, for its whole life. */
class StaticElectionTest {

  private final VirtualScheduler scheduler = new VirtualScheduler();

  @AfterEach
  void close() {
    scheduler.close();
  }

  private static ElectionSettings settings(boolean orgLeader) {
    return new ElectionSettings(
        false,
        orgLeader,
        Duration.ofSeconds(15),
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5));
  }

  @Test
  void orgLeaderTrueLeadsFromStartToCloseWhateverItHearsAndCannotYield() {
    ElectionGroup g =
        new ElectionGroup(
            new StaticElectionProvider(), settings(true), 3, scheduler, Duration.ofMillis(10));
    assertThat(g.strategy(0).isLeader()).as("before start").isFalse();
    g.startAll();
    assertThat(g.leaders()).containsExactly(0, 1, 2);
    assertThat(g.reportedLeader(1)).isTrue();
    for (int i = 0; i < 3; i++) {
      g.inject(i, new LeadershipMessage(ElectionGroup.idOf(99), new PeerTime(1, 1), true));
    }
    scheduler.advanceBy(Duration.ofMinutes(5));
    g.strategy(1).yieldLeadership();
    assertThat(g.leaders()).containsExactly(0, 1, 2);
    g.kill(1);
    assertThat(g.reportedLeader(1)).as("close reports the loss").isFalse();
    assertThat(g.strategy(1).isLeader()).isFalse();
  }

  @Test
  void orgLeaderFalseNeverLeads() {
    ElectionGroup g =
        new ElectionGroup(
            new StaticElectionProvider(), settings(false), 3, scheduler, Duration.ofMillis(10));
    g.startAll();
    scheduler.advanceBy(Duration.ofMinutes(5));
    assertThat(g.leaders()).isEmpty();
    assertThat(g.reportedLeader(0)).isFalse();
  }
}
