package org.ledgergossip.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomPeersTest {

  private final List<Integer> ten = IntStream.range(0, 10).boxed().toList();

  @Test
  void choosesDistinctCandidatesAndNoMoreThanThereAre() {
    SplittableRandom random = new SplittableRandom(1);
    for (int n = 0; n <= 12; n++) {
      List<Integer> chosen = RandomPeers.choose(ten, n, random);
      assertThat(chosen).hasSize(Math.min(n, 10)).doesNotHaveDuplicates();
      assertThat(ten).containsAll(chosen);
    }
    assertThat(RandomPeers.choose(List.of(), 3, random)).isEmpty();
  }

  @Test
  void everyCandidateIsChosenAboutEquallyOften() {
    SplittableRandom random = new SplittableRandom(7);
    Map<Integer, Integer> counts = new HashMap<>();
    int rounds = 10_000;
    for (int r = 0; r < rounds; r++) {
      RandomPeers.choose(ten, 3, random).forEach(i -> counts.merge(i, 1, Integer::sum));
    }
    // Expected 3,000 each; a uniform choice stays well within ±10%.
    assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(2_700, 3_300));
  }

  @Test
  void theSameSeedChoosesTheSame() {
    assertThat(RandomPeers.choose(ten, 4, new SplittableRandom(3)))
        .isEqualTo(RandomPeers.choose(ten, 4, new SplittableRandom(3)));
  }

  @Test
  void aNegativeCountIsRefused() {
    assertThatThrownBy(() -> RandomPeers.choose(ten, -1, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
