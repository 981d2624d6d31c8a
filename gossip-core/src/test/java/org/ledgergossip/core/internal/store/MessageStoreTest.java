package org.ledgergossip.core.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** Replacement, refusal and the bound of {@link MessageStore}, without time. */
class MessageStoreTest {

  /** An alive-like message: the peer it speaks for, its stamp. */
  record Alive(String peer, PeerTime time) {}

  /** A block-like message: its number. */
  record Block(long seq) {}

  record Removed(Object message, RemovalCause cause) {}

  private final List<Removed> removals = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static Alive alive(String peer, long inc, long seq) {
    return new Alive(peer, new PeerTime(inc, seq));
  }

  private MessageStore.Builder<Alive> aliveStore() {
    return MessageStore.builder(ReplacementPolicy.newestPerKey(Alive::peer, Alive::time))
        .removalListener((m, cause) -> removals.add(new Removed(m, cause)))
        .meterRegistry(registry)
        .name("alive");
  }

  private double counter(String name) {
    return registry.get(name).tag("store", "alive").counter().count();
  }

  @Test
  void newestPerKeyReplacesTheOlderMessageOfThePeerAndTellsTheListener() {
    MessageStore<Alive> store = aliveStore().build();
    assertThat(store.add(alive("p1", 1, 1))).isTrue();
    assertThat(store.add(alive("p2", 1, 1))).isTrue();

    assertThat(store.add(alive("p1", 1, 2))).isTrue();

    assertThat(store.messages()).containsExactly(alive("p2", 1, 1), alive("p1", 1, 2));
    assertThat(removals).containsExactly(new Removed(alive("p1", 1, 1), RemovalCause.INVALIDATED));
    assertThat(store.get(a -> a.peer().equals("p1"))).contains(alive("p1", 1, 2));
  }

  @Test
  void newestPerKeyRefusesEqualAndOlderStampsAndCountsThem() {
    MessageStore<Alive> store = aliveStore().build();
    store.add(alive("p1", 2, 5));

    assertThat(store.add(alive("p1", 2, 5))).as("equal stamp").isFalse();
    assertThat(store.add(alive("p1", 2, 4))).as("older sequence").isFalse();
    assertThat(store.add(alive("p1", 1, 99))).as("older incarnation").isFalse();
    assertThat(store.add(alive("p1", 3, 0))).as("restarted peer").isTrue();

    assertThat(store.messages()).containsExactly(alive("p1", 3, 0));
    assertThat(counter(MessageStore.REFUSED_COUNTER)).isEqualTo(3);
  }

  @Test
  void firstPerKeyKeepsTheFirstIdentity() {
    MessageStore<Alive> store =
        MessageStore.builder(ReplacementPolicy.firstPerKey(Alive::peer)).build();
    assertThat(store.add(alive("p1", 1, 1))).isTrue();
    assertThat(store.add(alive("p1", 9, 9))).isFalse();
    assertThat(store.add(alive("p2", 0, 0))).isTrue();
    assertThat(store.messages()).containsExactly(alive("p1", 1, 1), alive("p2", 0, 0));
  }

  @Test
  void blockWindowKeepsTheLastNAndRefusesDuplicatesAndBlocksOlderThanTheWindow() {
    List<Block> dropped = new ArrayList<>();
    MessageStore<Block> store =
        MessageStore.builder(ReplacementPolicy.keepLast(3, Block::seq))
            .removalListener((b, cause) -> dropped.add(b))
            .build();
    for (long seq = 1; seq <= 5; seq++) {
      assertThat(store.add(new Block(seq))).isTrue();
    }
    assertThat(store.messages()).containsExactly(new Block(3), new Block(4), new Block(5));
    assertThat(dropped).containsExactly(new Block(1), new Block(2));

    assertThat(store.add(new Block(4))).as("duplicate").isFalse();
    assertThat(store.add(new Block(2))).as("older than the window").isFalse();
    assertThat(store.add(new Block(7))).as("a gap").isTrue();
    assertThat(store.messages()).containsExactly(new Block(5), new Block(7));
    assertThat(store.add(new Block(6))).as("fills the gap").isTrue();
    assertThat(store.messages()).containsExactly(new Block(5), new Block(7), new Block(6));
  }

  @Test
  void blockWindowOfFabricsDefaultKeepsExactlyTenBlocks() {
    MessageStore<Block> store =
        MessageStore.builder(ReplacementPolicy.keepLast(10, Block::seq)).build();
    LongStream.rangeClosed(0, 20).forEach(seq -> store.add(new Block(seq)));
    assertThat(store.messages())
        .extracting(Block::seq)
        .containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
  }

  @Test
  void aFullStoreEvictsTheOldestAndCountsIt() {
    MessageStore<Alive> store = aliveStore().maxSize(3).build();
    store.add(alive("a", 1, 1));
    store.add(alive("b", 1, 1));
    store.add(alive("c", 1, 1));

    assertThat(store.add(alive("d", 1, 1))).isTrue();

    assertThat(store.messages()).extracting(Alive::peer).containsExactly("b", "c", "d");
    assertThat(removals).containsExactly(new Removed(alive("a", 1, 1), RemovalCause.EVICTED));
    assertThat(counter(MessageStore.EVICTED_COUNTER)).isEqualTo(1);
  }

  @Test
  void aReplacementInAFullStoreEvictsNothing() {
    MessageStore<Alive> store = aliveStore().maxSize(2).build();
    store.add(alive("a", 1, 1));
    store.add(alive("b", 1, 1));
    assertThat(store.add(alive("a", 1, 2))).isTrue();
    assertThat(store.messages()).extracting(Alive::peer).containsExactly("b", "a");
    assertThat(counter(MessageStore.EVICTED_COUNTER)).isZero();
  }

  @Test
  void aRefusedMessageChangesNothingEvenWhenItWouldHaveInvalidatedAnother() {
    // An inconsistent policy: "new" invalidates "old" but is itself invalidated by "guard".
    ReplacementPolicy<String> policy =
        (in, existing) ->
            !in.equals("new")
                ? InvalidationResult.NO_ACTION
                : existing.equals("old")
                    ? InvalidationResult.INVALIDATES
                    : existing.equals("guard")
                        ? InvalidationResult.INVALIDATED
                        : InvalidationResult.NO_ACTION;
    List<String> removed = new ArrayList<>();
    MessageStore<String> store =
        MessageStore.builder(policy).removalListener((m, c) -> removed.add(m)).build();
    store.add("old");
    store.add("guard");

    assertThat(store.add("new")).isFalse();
    assertThat(store.messages()).containsExactly("old", "guard");
    assertThat(removed).isEmpty();
  }

  @Test
  void checkValidTellsWithoutChangingAnything() {
    MessageStore<Alive> store = aliveStore().build();
    store.add(alive("p1", 1, 1));
    assertThat(store.checkValid(alive("p1", 1, 1))).isFalse();
    assertThat(store.checkValid(alive("p1", 1, 2))).isTrue();
    assertThat(store.messages()).containsExactly(alive("p1", 1, 1));
    assertThat(removals).isEmpty();
    assertThat(counter(MessageStore.REFUSED_COUNTER)).isZero();
  }

  @Test
  void purgeRemovesTheMatchingMessagesAndReportsThem() {
    MessageStore<Alive> store = aliveStore().build();
    store.add(alive("a", 1, 1));
    store.add(alive("b", 1, 1));
    store.add(alive("c", 1, 1));

    assertThat(store.purge(m -> !m.peer().equals("b"))).isEqualTo(2);

    assertThat(store.messages()).containsExactly(alive("b", 1, 1));
    assertThat(removals)
        .containsExactly(
            new Removed(alive("a", 1, 1), RemovalCause.PURGED),
            new Removed(alive("c", 1, 1), RemovalCause.PURGED));
    assertThat(store.add(alive("a", 1, 1))).as("forgotten after the purge").isTrue();
  }

  @Test
  void listenerRunsOutsideTheLockAndMayCallTheStoreBack() {
    List<Boolean> lockHeld = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    AtomicReference<MessageStore<Alive>> holder = new AtomicReference<>();
    MessageStore<Alive> store =
        MessageStore.builder(ReplacementPolicy.newestPerKey(Alive::peer, Alive::time))
            .maxSize(2)
            .removalListener(
                (m, cause) -> {
                  lockHeld.add(((DefaultMessageStore<?>) holder.get()).lockHeldByCurrentThread());
                  sizes.add(holder.get().size());
                })
            .build();
    holder.set(store);
    store.add(alive("a", 1, 1));
    store.add(alive("a", 1, 2)); // invalidates
    store.add(alive("b", 1, 1));
    store.add(alive("c", 1, 1)); // evicts
    store.purge(m -> true); // purges

    assertThat(lockHeld).hasSize(4).containsOnly(false);
    assertThat(sizes).containsExactly(1, 2, 0, 0);
  }

  @Test
  void aThrowingListenerLeavesTheStoreConsistent() {
    MessageStore<Alive> store =
        MessageStore.builder(ReplacementPolicy.newestPerKey(Alive::peer, Alive::time))
            .removalListener(
                (m, cause) -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();
    store.add(alive("a", 1, 1));
    assertThat(store.add(alive("a", 1, 2))).isTrue();
    assertThat(store.messages()).containsExactly(alive("a", 1, 2));
  }

  @Test
  void concurrentAddsOfOnePeerKeepTheNewest() throws InterruptedException {
    MessageStore<Alive> store = aliveStore().build();
    int threads = 4;
    int perThread = 500;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      adders.add(
          new Thread(
              () -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                  store.add(alive("p", 1, first + (long) i * threads));
                }
              }));
    }
    adders.forEach(Thread::start);
    start.countDown();
    for (Thread t : adders) {
      t.join(Duration.ofSeconds(30).toMillis());
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(store.messages()).containsExactly(alive("p", 1, threads * perThread - 1));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void builderRefusesNonsense() {
    MessageStore.Builder<Block> b = MessageStore.builder(ReplacementPolicy.keepLast(1, Block::seq));
    assertThatThrownBy(() -> b.maxSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.expireAfter(Duration.ZERO, new VirtualScheduler()))
        .isInstanceOf(IllegalArgumentException.class);
    MessageStore<Block> store = b.build();
    assertThatThrownBy(() -> store.add(null)).isInstanceOf(NullPointerException.class);
  }
}
