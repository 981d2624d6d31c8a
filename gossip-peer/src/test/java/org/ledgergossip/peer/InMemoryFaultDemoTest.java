package org.ledgergossip.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class InMemoryFaultDemoTest {

  @Test
  void everyPhaseAddsUpAndTheCodecRejectsTheBadInput() {
    InMemoryFaultDemo.Summary s = new InMemoryFaultDemo(5, 42, 0.2, silent()).run();
    assertThat(s.consistent()).isTrue();
    assertThat(s.rejected()).isEqualTo(4);
    assertThat(s.lostToFaults()).isPositive();
    assertThat(s.delivered() + s.lostToFaults()).isEqualTo(s.sent());
  }

  @Test
  void theSameSeedTellsTheSameStoryAndAnotherSeedADifferentOne() {
    assertThat(story(7)).isEqualTo(story(7));
    assertThat(story(7)).isNotEqualTo(story(8));
  }

  @Test
  void demoCommandExitsZeroAndRefusesBadOptionsWithExitCodeTwo() {
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new GossipCommand()).setOut(new PrintWriter(text));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute("demo", "--peers", "3")).isZero();
    assertThat(text.toString()).contains("phase 3 partition", "every phase adds up: yes");
    assertThat(cli.execute("demo", "--peers", "1")).isEqualTo(2);
    assertThat(cli.execute("demo", "--loss", "2")).isEqualTo(2);
  }

  private static String story(long seed) {
    StringWriter text = new StringWriter();
    new InMemoryFaultDemo(5, seed, 0.3, new PrintWriter(text)).run();
    return text.toString();
  }

  private static PrintWriter silent() {
    return new PrintWriter(new StringWriter());
  }
}
