package org.ledgergossip.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationsTest {

  @Test
  void readsFabricDurationsWithASignAndWritesTheShortestExactForm() {
    assertThat(GoDurations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDurations.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDurations.parse("-4s")).isEqualTo(Duration.ofSeconds(-4));
    assertThat(GoDurations.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDurations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(GoDurations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(GoDurations.format(Duration.ofSeconds(-4))).isEqualTo("-4s");
    assertThat(GoDurations.format(Duration.ofNanos(7))).isEqualTo("7ns");
    for (Duration d : new Duration[] {Duration.ofMillis(10), Duration.ofHours(3), Duration.ZERO}) {
      assertThat(GoDurations.parse(GoDurations.format(d))).isEqualTo(d);
    }
  }

  @Test
  void aNumberWithoutUnitOrGarbageIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> GoDurations.parse("4"));
    assertThatIllegalArgumentException().isThrownBy(() -> GoDurations.parse("4 s"));
    assertThatIllegalArgumentException().isThrownBy(() -> GoDurations.parse("-"));
    assertThatIllegalArgumentException().isThrownBy(() -> GoDurations.parse("s"));
  }
}
