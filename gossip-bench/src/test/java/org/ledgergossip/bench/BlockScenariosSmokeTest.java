package org.ledgergossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code spread} and {@code catchup} scenarios end to end on whole nodes, tiny, in virtual
 * time: every node commits every block exactly once, in order. No wall-clock assertion.
 */
class BlockScenariosSmokeTest {

  private static List<String> run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean ok;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ok = new BlockScenarios(ScenarioOptions.parse(args), out).run();
    }
    List<String> lines = Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
    assertThat(ok).as(String.join("\n", lines)).isTrue();
    return lines;
  }

  @Test
  void spreadDeliversEveryBlockToEveryNodeExactlyOnceInOrder() throws Exception {
    List<String> lines =
        run(
            "spread",
            "--peers",
            "4",
            "--virtual-time",
            "--blocks",
            "30",
            "--block-size",
            "256",
            "--timeout",
            "60s");

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("RESULT scenario=spread transport=inmemory peers=4 virtual=true ")
        .contains(" ok=true ", " reached=all_level ", " blocks=30 ", " complete_blocks=30 ")
        .contains(" order_violations=0 ", " peers_not_exact=0 ", " failed_tasks=0")
        .containsPattern(" p50_ms=\\d+\\.\\d ")
        .containsPattern(" copies_per_peer=[1-9]");
  }

  @Test
  void catchupBringsANewNodeLevelWithEveryBlockExactlyOnceInOrder() throws Exception {
    List<String> lines =
        run(
            "catchup",
            "--peers",
            "3",
            "--virtual-time",
            "--height",
            "60",
            "--block-size",
            "256",
            "--timeout",
            "60s");

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("RESULT scenario=catchup transport=inmemory peers=3 virtual=true ")
        .contains(" ok=true ", " reached=level ", " newcomer_height=60 ")
        .contains(" order_violations=0 ", " peers_not_exact=0 ", " failed_tasks=0")
        .containsPattern(" catchup_ms=\\d+\\.\\d ");
  }
}
