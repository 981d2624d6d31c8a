package org.ledgergossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.LeadershipEvent;
import org.ledgergossip.bench.NodeNetwork.LeadershipStamp;

class LeaderTimelineTest {

  private static LeadershipStamp at(int peer, boolean leader, long nanos) {
    return new LeadershipStamp(
        peer, new LeadershipEvent("ch", leader, "test", Instant.EPOCH), nanos);
  }

  @Test
  void coLeadersAreCountedUntilAllButOneStepDown() {
    List<LeadershipStamp> stamps =
        List.of(
            at(1, true, 100),
            at(2, true, 100),
            at(3, true, 150),
            at(3, false, 400),
            at(2, false, 600));

    LeaderTimeline t = LeaderTimeline.of(stamps, Set.of(1, 2, 3), 0, 1000);

    assertThat(t.maxLeaders()).isEqualTo(3);
    assertThat(t.multiNanos()).isEqualTo(500);
    assertThat(t.longestMultiNanos()).isEqualTo(500);
    assertThat(t.firstLeaderNanos()).isEqualTo(100);
    assertThat(t.stableOneNanos()).isEqualTo(600);
    assertThat(t.changes()).isEqualTo(5);
    assertThat(t.leadersAtEnd()).isEqualTo(1);
  }

  @Test
  void aHandOverWithinOneInstantIsNeitherZeroNorTwoLeaders() {
    List<LeadershipStamp> stamps = List.of(at(1, true, 10), at(1, false, 50), at(2, true, 50));

    LeaderTimeline t = LeaderTimeline.of(stamps, Set.of(1, 2), 0, 100);

    assertThat(t.maxLeaders()).isEqualTo(1);
    assertThat(t.multiNanos()).isZero();
    assertThat(t.stableOneNanos()).isEqualTo(10);
  }

  @Test
  void eventsBeforeTheWindowSetItsStartAndOtherPeersAreIgnored() {
    List<LeadershipStamp> stamps =
        List.of(at(1, true, 10), at(2, true, 20), at(9, true, 30), at(2, false, 80));

    LeaderTimeline t = LeaderTimeline.of(stamps, Set.of(1, 2), 50, 100);

    assertThat(t.maxLeaders()).isEqualTo(2);
    assertThat(t.multiNanos()).isEqualTo(30);
    assertThat(t.firstLeaderNanos()).isZero();
    assertThat(t.stableOneNanos()).isEqualTo(30);
    assertThat(t.changes()).isEqualTo(1);
  }

  @Test
  void aWindowEndingWithTwoLeadersHasNoStableLeaderAndCountsToItsEnd() {
    List<LeadershipStamp> stamps = List.of(at(1, true, 10), at(2, true, 40));

    LeaderTimeline t = LeaderTimeline.of(stamps, Set.of(1, 2), 0, 100);

    assertThat(t.stableOneNanos()).isEqualTo(-1);
    assertThat(t.multiNanos()).isEqualTo(60);
    assertThat(t.leadersAtEnd()).isEqualTo(2);
  }
}
