package org.ledgergossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The election scenarios ({@code failover}, {@code partition}, {@code jointstart}) end to end on
 * whole nodes with dynamic election, tiny, in virtual time with the short timers: a crashed leader
 * is replaced without losing a block, a partition heals to one leader with every block everywhere
 * once, a joint start ends with one leader. No wall-clock assertion.
 */
class ElectionScenariosSmokeTest {

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ok;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ok = new BlockScenarios(ScenarioOptions.parse(args), out).run();
    }
    List<String> lines = Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
    assertThat(ok).as(String.join("\n", lines)).isTrue();
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }

  @Test
  void failoverAfterACrashElectsOneNewLeaderWhichPullsAndLosesNoBlock() throws Exception {
    String line =
        run(
            "failover",
            "--peers",
            "4",
            "--virtual-time",
            "--timers",
            "short",
            "--blocks",
            "30",
            "--block-size",
            "256",
            "--timeout",
            "60s");

    assertThat(line)
        .startsWith(
            "RESULT scenario=failover transport=inmemory peers=4 virtual=true timers=short ")
        .contains(" ok=true ", " blocks_lost=0 ", " leaders_end=1 ", " order_violations=0 ")
        .contains(" threshold_ms=1000.0 ", " election_ms=500.0 ", " failed_tasks=0")
        .containsPattern(" elected_ms=\\d+\\.\\d ")
        .containsPattern(" block_after_election_ms=\\d+\\.\\d ")
        .containsPattern(" start_max_leaders=\\d+ ");
  }

  @Test
  void partitionWithResetConnectionsHealsToOneLeaderAndEveryBlockOnceEverywhere() throws Exception {
    String line =
        run(
            "partition",
            "--peers",
            "4",
            "--virtual-time",
            "--timers",
            "short",
            "--partition-mode",
            "reset",
            "--block-size",
            "256",
            "--rate",
            "20",
            "--timeout",
            "60s");

    assertThat(line)
        .startsWith("RESULT scenario=partition transport=inmemory peers=4 virtual=true ")
        .contains(" ok=true ", " reached=healed ", " mode=reset ", " side_a=2 ", " side_b=2 ")
        .contains(" side_a_max_leaders=1 ", " side_b_max_leaders=1 ", " leaders_end=1 ")
        .contains(" order_violations=0 ", " peers_not_exact=0 ", " failed_tasks=0")
        .containsPattern(" split_ms=\\d+\\.\\d ")
        .containsPattern(" one_leader_ms=\\d+\\.\\d ");
  }

  @Test
  void jointStartEndsWithOneLeaderAndReportsTheCoLeaders() throws Exception {
    String line =
        run(
            "jointstart",
            "--peers",
            "4",
            "--virtual-time",
            "--timers",
            "short",
            "--timeout",
            "60s");

    assertThat(line)
        .startsWith("RESULT scenario=jointstart transport=inmemory peers=4 virtual=true ")
        .contains(" ok=true ", " leaders_end=1 ", " failed_tasks=0")
        .containsPattern(" max_leaders=[1-4] ")
        .containsPattern(" longest_multi_leader_ms=\\d+\\.\\d ")
        .containsPattern(" within_election_duration=(true|false) ");
  }
}
