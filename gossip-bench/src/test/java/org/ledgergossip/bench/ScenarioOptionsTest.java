package org.ledgergossip.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ledgergossip.bench.ScenarioOptions.Kind;
import org.ledgergossip.bench.ScenarioOptions.Timers;

class ScenarioOptionsTest {

  @Test
  void scenarioAloneTakesTheDefaults() {
    ScenarioOptions o = ScenarioOptions.parse("join");

    assertThat(o.scenario()).isEqualTo("join");
    assertThat(o.peers()).isEqualTo(10);
    assertThat(o.transport()).isEqualTo(Kind.INMEMORY);
    assertThat(o.virtualTime()).isFalse();
    assertThat(o.seed()).isEqualTo(1);
    assertThat(o.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.idle()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.delayMin()).isEqualTo(Duration.ofMillis(5));
    assertThat(o.delayMax()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void everyOptionOfBenchmarksMdIsRead() {
    ScenarioOptions o =
        ScenarioOptions.parse(
            "failure",
            "--peers",
            "100",
            "--transport",
            "inmemory",
            "--virtual-time",
            "--seed",
            "42",
            "--timeout",
            "30s",
            "--idle",
            "1500ms",
            "--link-delay",
            "1ms-2ms",
            "--silent");

    assertThat(o)
        .isEqualTo(
            new ScenarioOptions(
                "failure",
                100,
                Kind.INMEMORY,
                true,
                42,
                Duration.ofSeconds(30),
                Duration.ofMillis(1500),
                Duration.ofMillis(1),
                Duration.ofMillis(2),
                true));
  }

  @Test
  void silentIsOnlyForTheFailureScenarioInMemory() {
    assertThat(ScenarioOptions.parse("failure").silent()).isFalse();
    assertThatThrownBy(() -> ScenarioOptions.parse("join", "--silent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--silent");
    assertThatThrownBy(() -> ScenarioOptions.parse("failure", "--transport", "netty", "--silent"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--silent");
  }

  @Test
  void blockScenariosTakeBlocksSizeRateAndHeight() {
    ScenarioOptions o =
        ScenarioOptions.parse(
            "spread", "--blocks", "20", "--block-size", "4096", "--rate", "12.5", "--height", "7");

    assertThat(o.isBlockScenario()).isTrue();
    assertThat(o.blocks()).isEqualTo(20);
    assertThat(o.blockSize()).isEqualTo(4096);
    assertThat(o.rate()).isEqualTo(12.5);
    assertThat(o.height()).isEqualTo(7);
  }

  @Test
  void blockDefaultsAreAThousandBlocksInVirtualTimeAndThreeHundredInRealTime() {
    ScenarioOptions virtual = ScenarioOptions.parse("throughput", "--virtual-time");
    ScenarioOptions real = ScenarioOptions.parse("catchup");

    assertThat(virtual.blocks()).isEqualTo(1000);
    assertThat(real.blocks()).isEqualTo(300);
    assertThat(real.blockSize()).isEqualTo(1024);
    assertThat(real.rate()).isEqualTo(50.0);
    assertThat(real.height()).isEqualTo(1000);
    assertThat(real.timers()).isEqualTo(Timers.FAST);
    assertThat(real.partitionFor()).isEqualTo(Duration.ZERO);
    assertThat(ScenarioOptions.parse("join").isBlockScenario()).isFalse();
  }

  @Test
  void timersAreFastShortOrFabric() {
    assertThat(ScenarioOptions.parse("spread", "--timers", "fabric").timers())
        .isEqualTo(Timers.FABRIC);
    assertThat(ScenarioOptions.parse("spread", "--timers", "short").timers())
        .isEqualTo(Timers.SHORT);
    assertThat(ScenarioOptions.parse("spread", "--timers", "fast").timers()).isEqualTo(Timers.FAST);
    assertThatThrownBy(() -> ScenarioOptions.parse("spread", "--timers", "slow"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--timers must be fast, short or fabric");
  }

  @Test
  void partitionAndJointStartAreBlockScenariosAndPartitionForIsADuration() {
    ScenarioOptions o = ScenarioOptions.parse("partition", "--partition-for", "12s");

    assertThat(o.isBlockScenario()).isTrue();
    assertThat(o.partitionFor()).isEqualTo(Duration.ofSeconds(12));
    assertThat(o.partitionReset()).isFalse();
    assertThat(ScenarioOptions.parse("partition", "--partition-mode", "reset").partitionReset())
        .isTrue();
    assertThatThrownBy(() -> ScenarioOptions.parse("partition", "--partition-mode", "cut"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--partition-mode must be black-hole or reset");
    assertThat(ScenarioOptions.parse("jointstart").isBlockScenario()).isTrue();
  }

  @Test
  void nonPositiveBlockSettingsAreRefused() {
    assertThatThrownBy(() -> ScenarioOptions.parse("spread", "--blocks", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--blocks");
    assertThatThrownBy(() -> ScenarioOptions.parse("spread", "--rate", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rate");
    assertThatThrownBy(() -> ScenarioOptions.parse("catchup", "--height", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--height");
  }

  @Test
  void nettyIsChosenByName() {
    assertThat(ScenarioOptions.parse("idle", "--transport", "netty").transport())
        .isEqualTo(Kind.NETTY);
  }

  @Test
  void durationsAcceptSecondsMillisMinutesAndBareSeconds() {
    assertThat(ScenarioOptions.parseDuration("--x", "120s")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ScenarioOptions.parseDuration("--x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ScenarioOptions.parseDuration("--x", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ScenarioOptions.parseDuration("--x", "7")).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void aSingleLinkDelayMeansAFixedDelay() {
    ScenarioOptions o = ScenarioOptions.parse("join", "--link-delay", "0");

    assertThat(o.delayMin()).isZero();
    assertThat(o.delayMax()).isZero();
  }

  @Test
  void virtualTimeOverNettyIsRefused() {
    assertThatThrownBy(
            () -> ScenarioOptions.parse("join", "--transport", "netty", "--virtual-time"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--virtual-time needs --transport inmemory");
  }

  @Test
  void unknownScenarioIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> ScenarioOptions.parse("split-brain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown scenario 'split-brain'")
        .hasMessageContaining(
            "catchup, failover, failure, idle, join, jointstart, partition, spread, throughput");
  }

  @Test
  void unknownOptionIsRefused() {
    assertThatThrownBy(() -> ScenarioOptions.parse("join", "--orgs", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option '--orgs'");
  }

  @Test
  void optionWithoutValueIsRefused() {
    assertThatThrownBy(() -> ScenarioOptions.parse("join", "--peers"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--peers needs a value");
  }

  @Test
  void nonNumericPeersIsRefusedWithTheValue() {
    assertThatThrownBy(() -> ScenarioOptions.parse("join", "--peers", "ten"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ten'");
  }

  @Test
  void fewerThanTwoPeersIsRefused() {
    assertThatThrownBy(() -> ScenarioOptions.parse("join", "--peers", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--peers must be at least 2");
  }

  @Test
  void malformedDurationIsRefusedWithAnExample() {
    assertThatThrownBy(() -> ScenarioOptions.parse("join", "--timeout", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("120s");
  }

  @Test
  void invertedLinkDelayIsRefused() {
    assertThatThrownBy(() -> ScenarioOptions.parse("join", "--link-delay", "50ms-5ms"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min <= max");
  }

  @Test
  void noArgumentsIsRefused() {
    assertThatThrownBy(ScenarioOptions::parse)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scenario");
  }
}
