package org.ledgergossip.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResultLineTest {

  @Test
  void lineStartsWithResultScenarioAndKeepsTheOrderOfKeys() {
    String line =
        ResultLine.of("join")
            .put("transport", "inmemory")
            .put("peers", 100)
            .put("virtual", true)
            .put("ok", false)
            .toString();

    assertThat(line)
        .isEqualTo("RESULT scenario=join transport=inmemory peers=100 virtual=true ok=false");
  }

  @Test
  void durationsAreMillisecondsWithOneDecimal() {
    assertThat(ResultLine.of("failure").putMillis("failure_ms", Duration.ofNanos(5_323_456_789L)))
        .hasToString("RESULT scenario=failure failure_ms=5323.5");
  }

  @Test
  void decimalsUseAPointWhateverTheLocaleAndNanIsSpelledOut() {
    assertThat(ResultLine.of("idle").put("frames_per_peer_s", 12.345).put("x", Double.NaN))
        .hasToString("RESULT scenario=idle frames_per_peer_s=12.3 x=nan");
  }

  @Test
  void aKeyPutTwiceKeepsItsPlaceAndTakesTheNewValue() {
    assertThat(ResultLine.of("join").put("ok", false).put("peers", 3).put("ok", true))
        .hasToString("RESULT scenario=join ok=true peers=3");
  }

  @Test
  void keysMustBeLowerSnakeCase() {
    assertThatThrownBy(() -> ResultLine.of("join").put("joinMs", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower_snake_case");
    assertThatThrownBy(() -> ResultLine.of("join").put("join__ms", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResultLine.of("join").put("_ms", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valuesMustNotBreakTheLine() {
    assertThatThrownBy(() -> ResultLine.of("join").put("note", "two words"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResultLine.of("join").put("note", "a=b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResultLine.of("join").put("note", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
