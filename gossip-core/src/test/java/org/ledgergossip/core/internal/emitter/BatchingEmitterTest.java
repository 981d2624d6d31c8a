package org.ledgergossip.core.internal.emitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** The batching emitter in virtual time: when it flushes, to whom, how often, and its bound. */
class BatchingEmitterTest {

  private static final Duration LATENCY = Duration.ofMillis(10);
  private static final Duration NANO = Duration.ofNanos(1);
  private static final List<String> TEN_PEERS =
      IntStream.range(0, 10).mapToObj(i -> "p" + i).toList();

  /** One call of {@link Emit}, with the virtual time it happened at. */
  record Flush(Duration at, Map<String, List<String>> byDestination) {}

  private final VirtualScheduler time = new VirtualScheduler();
  private final List<Flush> flushes = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private BatchingEmitter.Builder<String, String> emitter(List<String> peers) {
    return BatchingEmitter.<String, String>builder(
            m -> peers, byDestination -> flushes.add(new Flush(elapsed(), byDestination)), time)
        .maxPropagationBurstSize(10)
        .maxPropagationBurstLatency(LATENCY)
        .propagateIterations(1)
        .propagatePeerNum(3)
        .random(new SplittableRandom(7))
        .meterRegistry(registry);
  }

  private Duration elapsed() {
    return Duration.between(VirtualScheduler.DEFAULT_START, time.now());
  }

  /** How many times each message was sent, over all flushes and destinations. */
  private Map<String, Integer> sendsPerMessage() {
    Map<String, Integer> sends = new HashMap<>();
    for (Flush f : flushes) {
      f.byDestination().values().forEach(ms -> ms.forEach(m -> sends.merge(m, 1, Integer::sum)));
    }
    return sends;
  }

  @Test
  void flushesAtOnceWhenTheBurstSizeIsQueued() {
    BatchingEmitter<String, String> e = emitter(List.of("p1")).maxPropagationBurstSize(3).build();
    e.add("m1", null);
    e.add("m2", null);
    time.runUntilIdle();
    assertThat(flushes).isEmpty();

    e.add("m3", null);
    time.runUntilIdle();

    assertThat(flushes)
        .containsExactly(new Flush(Duration.ZERO, Map.of("p1", List.of("m1", "m2", "m3"))));
    assertThat(e.size()).isZero();
    assertThat(time.pendingTasks()).as("the latency timer is cancelled").isZero();
  }

  @Test
  void flushesExactlyAtTheLatencyAfterTheFirstAddAndNotBefore() {
    BatchingEmitter<String, String> e = emitter(List.of("p1")).build();
    assertThat(time.pendingTasks()).as("no timer while nothing is queued").isZero();
    e.add("m1", null);
    time.advanceBy(Duration.ofMillis(4));
    e.add("m2", null);

    time.advanceBy(LATENCY.minusMillis(4).minus(NANO));
    assertThat(flushes).isEmpty();

    time.advanceBy(NANO);
    assertThat(flushes).containsExactly(new Flush(LATENCY, Map.of("p1", List.of("m1", "m2"))));
    assertThat(time.pendingTasks()).as("disarmed once the queue is empty").isZero();
  }

  @Test
  void eachMessageIsEmittedExactlyPropagateIterationsTimesOnePerFlush() {
    BatchingEmitter<String, String> e = emitter(List.of("p1")).propagateIterations(3).build();
    e.add("m1", null);

    for (int i = 0; i < 10; i++) {
      time.advanceBy(LATENCY);
    }

    assertThat(flushes)
        .extracting(Flush::at)
        .containsExactly(LATENCY, LATENCY.multipliedBy(2), LATENCY.multipliedBy(3));
    assertThat(sendsPerMessage()).containsExactlyEntriesOf(Map.of("m1", 3));
    assertThat(e.size()).isZero();
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void eachEmissionGoesToAtMostPropagatePeerNumPeersNeverTheOrigin() {
    BatchingEmitter<String, String> e = emitter(TEN_PEERS).build();
    for (int i = 0; i < 200; i++) {
      e.add("m" + i, "p" + (i % 10));
      time.runUntilIdle();
    }

    assertThat(flushes).hasSize(20);
    Map<String, List<String>> destinationsOf = new HashMap<>();
    for (Flush f : flushes) {
      f.byDestination()
          .forEach(
              (peer, ms) ->
                  ms.forEach(
                      m -> destinationsOf.computeIfAbsent(m, k -> new ArrayList<>()).add(peer)));
    }
    assertThat(destinationsOf).hasSize(200);
    destinationsOf.forEach(
        (m, peers) -> {
          String origin = "p" + (Integer.parseInt(m.substring(1)) % 10);
          assertThat(peers).as(m).hasSize(3).doesNotHaveDuplicates().doesNotContain(origin);
        });
  }

  @Test
  void fewerEligiblePeersThanPropagatePeerNumMeansAllOfThemButTheOrigin() {
    BatchingEmitter<String, String> e = emitter(List.of("origin", "p1", "p1", "p2")).build();
    e.add("m1", "origin");
    time.advanceBy(LATENCY);
    assertThat(flushes).hasSize(1);
    assertThat(flushes.get(0).byDestination()).containsOnlyKeys("p1", "p2");
  }

  @Test
  void aFlushGroupsTheMessagesPerDestination() {
    BatchingEmitter<String, String> e = emitter(List.of("p1", "p2")).build();
    e.add("m1", null);
    e.add("m2", null);
    e.add("m3", "p2");
    time.advanceBy(LATENCY);

    assertThat(flushes).hasSize(1);
    assertThat(flushes.get(0).byDestination())
        .containsOnly(
            Map.entry("p1", List.of("m1", "m2", "m3")), Map.entry("p2", List.of("m1", "m2")));
  }

  @Test
  void theSameSeedChoosesTheSamePeers() {
    List<Flush> first = runWithSeed(42);
    List<Flush> again = runWithSeed(42);
    List<Flush> other = runWithSeed(43);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  private List<Flush> runWithSeed(long seed) {
    flushes.clear();
    VirtualScheduler own = new VirtualScheduler();
    List<Flush> seen = new ArrayList<>();
    BatchingEmitter<String, String> e =
        BatchingEmitter.<String, String>builder(
                m -> TEN_PEERS,
                byDestination -> seen.add(new Flush(Duration.ZERO, byDestination)),
                own)
            .random(new SplittableRandom(seed))
            .build();
    for (int i = 0; i < 30; i++) {
      e.add("m" + i, "p" + (i % 10));
    }
    own.runUntilIdle();
    return seen;
  }

  @Test
  void aFullQueueDropsTheOldestAndCountsIt() {
    BatchingEmitter<String, String> e =
        emitter(List.of("p1")).maxPropagationBurstSize(5).capacity(5).build();
    for (int i = 1; i <= 7; i++) {
      e.add("m" + i, null); // the flush requested at m5 has not run yet
    }
    assertThat(e.size()).isEqualTo(5);
    time.runUntilIdle();

    assertThat(flushes).hasSize(1);
    assertThat(flushes.get(0).byDestination().get("p1"))
        .containsExactly("m3", "m4", "m5", "m6", "m7");
    assertThat(
            registry.get(BatchingEmitter.DROPPED_COUNTER).tag("emitter", "push").counter().count())
        .isEqualTo(2);
  }

  @Test
  void stopCancelsTheTimersAndDropsTheQueue() {
    BatchingEmitter<String, String> e = emitter(List.of("p1")).maxPropagationBurstSize(2).build();
    e.add("m1", null);
    assertThat(time.pendingTasks()).as("latency timer").isEqualTo(1);
    e.add("m2", null);
    assertThat(time.pendingTasks()).as("latency timer and burst flush").isEqualTo(2);

    e.stop();

    assertThat(time.pendingTasks()).isZero();
    assertThat(e.size()).isZero();
    e.add("m3", null);
    assertThat(time.pendingTasks()).as("adds after stop are ignored").isZero();
    time.advanceBy(LATENCY.multipliedBy(5));
    assertThat(flushes).isEmpty();
  }

  @Test
  void aFailingSelectorOrEmitterDoesNotStopLaterFlushes() {
    List<Map<String, List<String>>> sent = new ArrayList<>();
    BatchingEmitter<String, String> e =
        BatchingEmitter.<String, String>builder(
                m -> {
                  if (m.equals("bad")) {
                    throw new IllegalStateException("selector bug");
                  }
                  return List.of("p1");
                },
                byDestination -> {
                  sent.add(byDestination);
                  if (sent.size() == 1) {
                    throw new IllegalStateException("transport bug");
                  }
                },
                time)
            .build();
    e.add("bad", null);
    e.add("m1", null);
    time.advanceBy(Duration.ofMillis(10));
    e.add("m2", null);
    time.advanceBy(Duration.ofMillis(10));

    assertThat(sent).containsExactly(Map.of("p1", List.of("m1")), Map.of("p1", List.of("m2")));
    assertThat(time.failedTasks()).isZero();
  }

  @Test
  void noEligiblePeerMeansNoCallButTheIterationIsSpent() {
    BatchingEmitter<String, String> e = emitter(List.of()).build();
    e.add("m1", null);
    time.advanceBy(LATENCY);
    assertThat(flushes).isEmpty();
    assertThat(e.size()).isZero();
  }

  @Test
  void concurrentAddsAreAllEmittedOnce() throws InterruptedException {
    BatchingEmitter<String, String> e = emitter(List.of("p1")).capacity(1000).build();
    int threads = 4;
    int perThread = 250;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> adders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String prefix = "t" + t + "-";
      adders.add(
          new Thread(
              () -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                  e.add(prefix + i, null);
                }
              }));
    }
    adders.forEach(Thread::start);
    start.countDown();
    for (Thread t : adders) {
      t.join(Duration.ofSeconds(30).toMillis());
      assertThat(t.isAlive()).isFalse();
    }
    time.advanceBy(LATENCY);

    Map<String, Integer> sends = sendsPerMessage();
    assertThat(sends).hasSize(threads * perThread);
    assertThat(sends.values()).containsOnly(1);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void theBuilderTakesFabricsSettingsAndRefusesNonsense() {
    BatchingEmitter.Builder<String, String> b =
        emitter(List.of("p1")).config(GossipConfig.defaults());
    assertThatThrownBy(() -> b.propagatePeerNum(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxPropagationBurstLatency(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.capacity(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPropagationBurstSize (10)");
  }
}
