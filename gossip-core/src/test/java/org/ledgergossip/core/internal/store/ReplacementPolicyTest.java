package org.ledgergossip.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.core.internal.store.InvalidationResult.INVALIDATED;
import static org.ledgergossip.core.internal.store.InvalidationResult.INVALIDATES;
import static org.ledgergossip.core.internal.store.InvalidationResult.NO_ACTION;

import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PeerTime;

class ReplacementPolicyTest {

  record Stamped(String key, PeerTime time) {}

  private static final ReplacementPolicy<Stamped> NEWEST =
      ReplacementPolicy.newestPerKey(Stamped::key, Stamped::time);

  private static Stamped a(long inc, long seq) {
    return new Stamped("a", new PeerTime(inc, seq));
  }

  @Test
  void newestPerKeyComparesIncarnationThenSequenceAndRefusesEqualStamps() {
    assertThat(NEWEST.evaluate(a(1, 2), a(1, 1))).isEqualTo(INVALIDATES);
    assertThat(NEWEST.evaluate(a(2, 0), a(1, 9))).isEqualTo(INVALIDATES);
    assertThat(NEWEST.evaluate(a(1, 1), a(1, 1))).isEqualTo(INVALIDATED);
    assertThat(NEWEST.evaluate(a(1, 1), a(1, 2))).isEqualTo(INVALIDATED);
    assertThat(NEWEST.evaluate(a(1, 9), a(2, 0))).isEqualTo(INVALIDATED);
    assertThat(NEWEST.evaluate(new Stamped("b", new PeerTime(0, 0)), a(5, 5))).isEqualTo(NO_ACTION);
  }

  @Test
  void newestPerKeyComparesStampsUnsignedLikeFabricsUint64() {
    // An incarnation number with the top bit set is larger than any positive one.
    assertThat(NEWEST.evaluate(a(-1, 0), a(Long.MAX_VALUE, 0))).isEqualTo(INVALIDATES);
  }

  @Test
  void firstPerKeyRefusesAnySecondMessageWithTheSameKey() {
    ReplacementPolicy<Stamped> first = ReplacementPolicy.firstPerKey(Stamped::key);
    assertThat(first.evaluate(a(9, 9), a(1, 1))).isEqualTo(INVALIDATED);
    assertThat(first.evaluate(new Stamped("b", new PeerTime(0, 0)), a(1, 1))).isEqualTo(NO_ACTION);
  }

  @Test
  void keepLastRelatesBlocksByTheDistanceOfTheirNumbers() {
    ReplacementPolicy<Long> window = ReplacementPolicy.keepLast(10, Long::longValue);
    assertThat(window.evaluate(5L, 5L)).isEqualTo(INVALIDATED);
    assertThat(window.evaluate(14L, 5L)).isEqualTo(NO_ACTION);
    assertThat(window.evaluate(15L, 5L)).isEqualTo(INVALIDATES);
    assertThat(window.evaluate(5L, 14L)).isEqualTo(NO_ACTION);
    assertThat(window.evaluate(5L, 15L)).isEqualTo(INVALIDATED);
    // Unsigned, like Fabric's uint64 block numbers: 2^64 - 1 is the highest.
    assertThat(window.evaluate(-1L, 5L)).isEqualTo(INVALIDATES);
    assertThat(window.evaluate(5L, -1L)).isEqualTo(INVALIDATED);
  }

  @Test
  void keepLastNeedsAPositiveWindow() {
    assertThatThrownBy(() -> ReplacementPolicy.keepLast(0, (Long l) -> l))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
