package org.ledgergossip.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ledgergossip.peer.ops.LogSpec.Level;

/** Fabric's logging spec syntax, as flogging's {@code ActivateSpec} reads it. */
class LogSpecTest {

  @Test
  void aLevelAloneIsTheDefaultLevel() {
    LogSpec spec = LogSpec.parse("debug");

    assertThat(spec.defaultLevel()).isEqualTo(Level.DEBUG);
    assertThat(spec.levels()).isEmpty();
    assertThat(spec).hasToString("debug");
  }

  @Test
  void emptySpecIsInfo() {
    assertThat(LogSpec.parse("")).isEqualTo(LogSpec.INFO);
    assertThat(LogSpec.parse("")).hasToString("info");
  }

  @Test
  void moduleLevelPairsAndTheDefaultLevelLast() {
    LogSpec spec = LogSpec.parse("gossip.election=debug:info");

    assertThat(spec.defaultLevel()).isEqualTo(Level.INFO);
    assertThat(spec.levels()).containsExactly(Map.entry("gossip.election", Level.DEBUG));
    assertThat(spec).hasToString("gossip.election=debug:info");
  }

  @Test
  void severalLoggersShareALevelAndTheNormalFormIsSortedWithTheDefaultLast() {
    LogSpec spec = LogSpec.parse("warning:gossip.state,gossip.comm=ERROR:gossip=payload");

    assertThat(spec.defaultLevel()).isEqualTo(Level.WARN);
    assertThat(spec).hasToString("gossip=payload:gossip.comm=error:gossip.state=error:warn");
    assertThat(LogSpec.parse(spec.toString())).isEqualTo(spec);
  }

  @Test
  void theLastDefaultLevelWins() {
    assertThat(LogSpec.parse("debug:error").defaultLevel()).isEqualTo(Level.ERROR);
    assertThat(LogSpec.parse("debug:").defaultLevel())
        .as("an empty field is info")
        .isEqualTo(Level.INFO);
  }

  @Test
  void fabricAliasesAndUpperCaseLevelsAreAccepted() {
    assertThat(LogSpec.parse("NOTICE").defaultLevel()).isEqualTo(Level.INFO);
    assertThat(LogSpec.parse("critical").defaultLevel()).isEqualTo(Level.ERROR);
    assertThat(LogSpec.parse("a=FATAL").levels()).containsEntry("a", Level.FATAL);
    assertThat(LogSpec.parse("a=dpanic:b=panic").levels())
        .containsEntry("a", Level.DPANIC)
        .containsEntry("b", Level.PANIC);
  }

  @Test
  void levelOfALoggerComesFromItsLongestDottedPrefixElseTheDefault() {
    LogSpec spec = LogSpec.parse("gossip=warn:gossip.election=debug:gossip.state.=error:info");

    assertThat(spec.levelFor("gossip.election")).isEqualTo(Level.DEBUG);
    assertThat(spec.levelFor("gossip.election.adapter")).isEqualTo(Level.DEBUG);
    assertThat(spec.levelFor("gossip.comm")).isEqualTo(Level.WARN);
    assertThat(spec.levelFor("gossip")).isEqualTo(Level.WARN);
    assertThat(spec.levelFor("gossipx")).isEqualTo(Level.INFO);
    assertThat(spec.levelFor("gossip.state"))
        .as("a name ending with . is exact")
        .isEqualTo(Level.ERROR);
    assertThat(spec.levelFor("gossip.state.x")).isEqualTo(Level.WARN);
    assertThat(spec.levelFor("ledger")).isEqualTo(Level.INFO);
    assertThat(spec.minLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void malformedSpecsAreRefusedWithFabricsReason() {
    assertThatThrownBy(() -> LogSpec.parse("verbose"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid logging specification 'verbose': bad segment 'verbose'");
    assertThatThrownBy(() -> LogSpec.parse("gossip=loud:info"))
        .hasMessage("invalid logging specification 'gossip=loud:info': bad segment 'gossip=loud'");
    assertThatThrownBy(() -> LogSpec.parse("=debug"))
        .hasMessageContaining("no logger specified in segment '=debug'");
    assertThatThrownBy(() -> LogSpec.parse("a=b=debug")).hasMessageContaining("bad segment");
    assertThatThrownBy(() -> LogSpec.parse("a..b=debug"))
        .hasMessageContaining("bad logger name 'a..b'");
    assertThatThrownBy(() -> LogSpec.parse("a,=debug")).hasMessageContaining("bad logger name ''");
    assertThatThrownBy(() -> LogSpec.parse("gossip election=debug"))
        .hasMessageContaining("bad logger name");
    assertThatThrownBy(() -> LogSpec.parse("a=")).hasMessageContaining("bad segment 'a='");
  }

  @Test
  void levelsMapToSlf4j() {
    assertThat(Level.PAYLOAD.toSlf4j()).isEqualTo(org.slf4j.event.Level.TRACE);
    assertThat(Level.WARN.toSlf4j()).isEqualTo(org.slf4j.event.Level.WARN);
    assertThat(Level.FATAL.toSlf4j()).isEqualTo(org.slf4j.event.Level.ERROR);
  }
}
