package org.ledgergossip.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** Expiry after the TTL and deletion at twice the TTL, in virtual time. */
class MessageStoreExpiryTest {

  record Alive(String peer, PeerTime time) {}

  /** What the listener saw, with the virtual time it saw it at. */
  record Seen(Alive message, RemovalCause cause, Duration at) {}

  private static final Duration TTL = Duration.ofSeconds(400); // 100 × pullInterval of 4 s
  private static final Duration NANO = Duration.ofNanos(1);

  private final VirtualScheduler time = new VirtualScheduler();
  private final List<Seen> seen = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private final MessageStore<Alive> store =
      MessageStore.builder(ReplacementPolicy.newestPerKey(Alive::peer, Alive::time))
          .expireAfter(TTL, time)
          .removalListener((m, cause) -> seen.add(new Seen(m, cause, elapsed())))
          .meterRegistry(registry)
          .name("alive")
          .build();

  private Duration elapsed() {
    return Duration.between(VirtualScheduler.DEFAULT_START, time.now());
  }

  private static Alive alive(String peer, long seq) {
    return new Alive(peer, new PeerTime(1, seq));
  }

  @Test
  void aMessageExpiresExactlyAtTheTtl() {
    store.add(alive("p1", 1));

    time.advanceBy(TTL.minus(NANO));
    assertThat(seen).isEmpty();
    assertThat(store.messages()).containsExactly(alive("p1", 1));

    time.advanceBy(NANO);
    assertThat(seen).containsExactly(new Seen(alive("p1", 1), RemovalCause.EXPIRED, TTL));
    assertThat(store.messages()).isEmpty();
    assertThat(store.size()).isZero();
    assertThat(store.get(m -> true)).isEmpty();
    assertThat(registry.get(MessageStore.EXPIRED_COUNTER).counter().count()).isEqualTo(1);
  }

  @Test
  void eachMessageExpiresAtItsOwnTtl() {
    store.add(alive("p1", 1));
    time.advanceBy(Duration.ofSeconds(10));
    store.add(alive("p2", 1));

    time.advanceBy(TTL);

    assertThat(seen)
        .containsExactly(
            new Seen(alive("p1", 1), RemovalCause.EXPIRED, TTL),
            new Seen(alive("p2", 1), RemovalCause.EXPIRED, TTL.plusSeconds(10)));
  }

  @Test
  void anExpiredMessageRefusesStaleDuplicatesUntilTwiceTheTtlThenIsDeleted() {
    store.add(alive("p1", 5));
    time.advanceBy(TTL);
    assertThat(store.messages()).isEmpty();

    assertThat(store.add(alive("p1", 5))).as("replayed after expiry").isFalse();
    assertThat(store.add(alive("p1", 4))).as("older after expiry").isFalse();
    time.advanceBy(TTL.minus(NANO));
    assertThat(store.add(alive("p1", 4))).as("just before 2 × TTL").isFalse();

    time.advanceBy(NANO);
    assertThat(time.pendingTasks()).as("no timer while the store is empty").isZero();
    assertThat(store.add(alive("p1", 4))).as("deleted at 2 × TTL, so forgotten").isTrue();
    assertThat(seen).extracting(Seen::cause).containsExactly(RemovalCause.EXPIRED);
  }

  @Test
  void aNewerMessageReplacesAnExpiredOneWithoutReportingItTwice() {
    store.add(alive("p1", 1));
    time.advanceBy(TTL);

    assertThat(store.add(alive("p1", 2))).isTrue();

    assertThat(store.messages()).containsExactly(alive("p1", 2));
    assertThat(seen).containsExactly(new Seen(alive("p1", 1), RemovalCause.EXPIRED, TTL));
    time.advanceBy(TTL);
    assertThat(seen).extracting(Seen::message).containsExactly(alive("p1", 1), alive("p1", 2));
  }

  @Test
  void aFullStoreEvictsExpiredMessagesFirstWithoutReportingThemAgain() {
    MessageStore<Alive> small =
        MessageStore.builder(ReplacementPolicy.newestPerKey(Alive::peer, Alive::time))
            .expireAfter(TTL, time)
            .maxSize(2)
            .removalListener((m, cause) -> seen.add(new Seen(m, cause, elapsed())))
            .build();
    small.add(alive("old", 1));
    time.advanceBy(TTL);
    small.add(alive("a", 1));

    small.add(alive("b", 1));

    assertThat(small.messages()).containsExactly(alive("a", 1), alive("b", 1));
    assertThat(seen).extracting(Seen::cause).containsExactly(RemovalCause.EXPIRED);
    assertThat(small.add(alive("old", 1))).as("evicted, so forgotten").isTrue();
  }

  @Test
  void theExpiryListenerRunsOnTheSchedulerOutsideTheLock() {
    List<Boolean> lockHeld = new ArrayList<>();
    AtomicReference<MessageStore<Alive>> self = new AtomicReference<>();
    self.set(
        MessageStore.builder(ReplacementPolicy.newestPerKey(Alive::peer, Alive::time))
            .expireAfter(TTL, time)
            .removalListener(
                (m, cause) ->
                    lockHeld.add(((DefaultMessageStore<?>) self.get()).lockHeldByCurrentThread()))
            .build());
    self.get().add(alive("p1", 1));
    time.advanceBy(TTL);
    assertThat(lockHeld).containsExactly(false);
  }

  @Test
  void stopCancelsTheExpiryTimer() {
    store.add(alive("p1", 1));
    assertThat(time.pendingTasks()).isEqualTo(1);

    store.stop();

    assertThat(time.pendingTasks()).isZero();
    time.advanceBy(TTL.multipliedBy(3));
    assertThat(seen).isEmpty();
    assertThat(store.messages()).containsExactly(alive("p1", 1));
  }

  @Test
  void oneTimerAtATimeWhateverTheNumberOfMessages() {
    for (int i = 0; i < 100; i++) {
      store.add(alive("p" + i, 1));
      time.advanceBy(Duration.ofMillis(1));
    }
    assertThat(time.pendingTasks()).isEqualTo(1);
    time.advanceBy(TTL.multipliedBy(2));
    assertThat(seen).hasSize(100);
    assertThat(time.pendingTasks()).isZero();
  }
}
