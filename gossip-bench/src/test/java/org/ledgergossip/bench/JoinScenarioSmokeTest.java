package org.ledgergossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code join} scenario end to end, five peers, in virtual time. No wall-clock assertion. */
class JoinScenarioSmokeTest {

  @Test
  void fivePeersJoinInVirtualTimeAndTheResultLineSaysSo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ScenarioOptions options =
        ScenarioOptions.parse("join", "--peers", "5", "--virtual-time", "--timeout", "30s");

    boolean ok;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ok = new ScenarioRunner(options, out).run();
    }

    List<String> lines = Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
    assertThat(ok).isTrue();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("RESULT scenario=join transport=inmemory peers=5 virtual=true ")
        .contains(" ok=true ", " members_full=5/5 ", " min_view=4 ")
        .containsPattern(" join_ms=\\d+\\.\\d ")
        .containsPattern(" all_full_ms=\\d+\\.\\d ")
        .doesNotContain(" msgs=0 ");
  }
}
