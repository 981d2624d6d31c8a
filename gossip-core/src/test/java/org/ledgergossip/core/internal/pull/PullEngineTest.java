package org.ledgergossip.core.internal.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ledgergossip.core.internal.pull.PullMessage.Kind;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** One engine driven by hand: the four phases, the owner choice, timers, bounds and lifecycle. */
class PullEngineTest {

  private static final List<String> THIRTY =
      IntStream.range(0, 30).mapToObj(i -> "item" + i).toList();

  @Test
  void aFullRoundHelloDigestRequestResponseAddsTheMissingItemsAndTellsTheListener() {
    SingleEngine a = new SingleEngine(List.of("b"));
    a.engine.add("shared");
    a.startFirstRound();
    long nonce = a.adapter.helloNonce("b");

    a.engine.onDigest("b", List.of("shared", "x", "y"), nonce);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);

    assertThat(a.adapter.sent(Kind.REQUEST, "b"))
        .singleElement()
        .satisfies(r -> assertThat(r.items()).containsExactly("x", "y"))
        .satisfies(r -> assertThat(r.nonce()).isEqualTo(nonce));
    a.engine.onResponse("b", List.of("x", "y"), nonce);
    assertThat(a.engine.items()).containsExactly("shared", "x", "y");
    assertThat(a.pulled).containsExactly(List.of("x", "y"));
    assertThat(a.ignoredTotal()).isZero();
  }

  @Test
  void theResponderAnswersAHelloWithItsItemsAndARequestWithTheOnesItHas() {
    SingleEngine a = new SingleEngine(List.of());
    a.engine.add("1");
    a.engine.add("2");

    a.engine.onHello("b", 99);
    a.engine.onRequest("b", List.of("2", "3", "2"), 99);

    assertThat(a.adapter.sent(Kind.DIGEST, "b"))
        .singleElement()
        .isEqualTo(new PullMessage(Kind.DIGEST, "a", "b", List.of("1", "2"), 99));
    assertThat(a.adapter.sent(Kind.RESPONSE, "b"))
        .singleElement()
        .isEqualTo(new PullMessage(Kind.RESPONSE, "a", "b", List.of("2"), 99));
  }

  @Test
  void anEngineWithNothingToDiscloseSendsNoDigest() {
    SingleEngine a = new SingleEngine(1, List.of(), b -> b.egressFilter((p, i) -> !p.equals("b")));
    a.engine.onHello("c", 1);
    a.engine.add("x");
    a.engine.onHello("b", 2);
    assertThat(a.adapter.sent).isEmpty();
  }

  @Test
  void theEgressFilterHidesAnItemFromOnePeerEvenWhenItAsksForItByName() {
    SingleEngine a =
        new SingleEngine(
            1, List.of(), b -> b.egressFilter((p, i) -> !(p.equals("eve") && i.equals("secret"))));
    a.engine.add("public");
    a.engine.add("secret");

    a.engine.onHello("eve", 7);
    a.engine.onRequest("eve", List.of("secret", "public"), 7);
    a.engine.onHello("bob", 8);

    assertThat(a.adapter.sent(Kind.DIGEST, "eve").get(0).items()).containsExactly("public");
    assertThat(a.adapter.sent(Kind.RESPONSE, "eve").get(0).items()).containsExactly("public");
    assertThat(a.adapter.sent(Kind.DIGEST, "bob").get(0).items())
        .containsExactly("public", "secret");
  }

  @Test
  void eachItemIsRequestedOnceFromARandomAdvertiserAndTheChoiceIsReproducibleForASeed() {
    Map<String, String> ownerOf = ownerChoice(1234);

    assertThat(ownerOf.keySet()).containsExactlyInAnyOrderElementsOf(THIRTY);
    assertThat(new HashSet<>(ownerOf.values()))
        .as("owners are drawn at random, not always the first advertiser")
        .containsExactlyInAnyOrder("b", "c", "d");
    assertThat(ownerChoice(1234)).isEqualTo(ownerOf);
    assertThat(ownerChoice(5678)).isNotEqualTo(ownerOf);
  }

  @Test
  void anItemOnlyOnePeerAdvertisesIsRequestedFromThatPeer() {
    SingleEngine a = new SingleEngine(9, List.of("b", "c"), b -> b);
    a.startFirstRound();
    a.engine.onDigest("b", List.of("common", "onlyB"), a.adapter.helloNonce("b"));
    a.engine.onDigest("c", List.of("common"), a.adapter.helloNonce("c"));
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);

    List<PullMessage> requests = a.adapter.sent(Kind.REQUEST);
    assertThat(requests).flatMap(PullMessage::items).containsExactlyInAnyOrder("common", "onlyB");
    assertThat(requests)
        .filteredOn(r -> r.items().contains("onlyB"))
        .singleElement()
        .extracting(PullMessage::to)
        .isEqualTo("b");
  }

  @Test
  void stopCancelsEveryTimerItScheduled() {
    SingleEngine a = new SingleEngine(List.of("b", "c"));
    int before = a.time.pendingTasks();

    a.engine.start();
    assertThat(a.time.pendingTasks()).isEqualTo(before + 1);
    a.time.advanceBy(SingleEngine.PULL_INTERVAL);
    assertThat(a.time.pendingTasks()).as("periodic round + digest timer").isEqualTo(before + 2);
    a.engine.stop();

    assertThat(a.time.pendingTasks()).isEqualTo(before);
    a.time.advanceBy(SingleEngine.PULL_INTERVAL.multipliedBy(3));
    assertThat(a.adapter.sent(Kind.HELLO)).hasSize(2);
  }

  @Test
  void stoppingAWholeNetworkLeavesNoTimersOnceTheMessagesInFlightAreDelivered() {
    PullNetwork net = new PullNetwork(1, 0.0, Duration.ofMillis(20), 3);
    for (int n = 0; n < 5; n++) {
      net.add("n" + n, b -> b).add("item" + n);
    }
    int before = net.time.pendingTasks();
    net.startAll();
    net.time.advanceBy(PullNetwork.PULL_INTERVAL.multipliedBy(2).plusMillis(500));

    net.stopAll();
    net.time.advanceBy(Duration.ofMillis(20));

    assertThat(net.time.pendingTasks()).isEqualTo(before);
  }

  @Test
  void addRefusesBeyondMaxItemsAndCountsTheRefusal() {
    SingleEngine a = new SingleEngine(1, List.of(), b -> b.maxItems(3));
    assertThat(a.engine.add("1")).isTrue();
    assertThat(a.engine.add("2")).isTrue();
    assertThat(a.engine.add("3")).isTrue();
    assertThat(a.engine.add("1")).as("already present, not a refusal").isFalse();
    assertThat(a.engine.add("4")).isFalse();

    assertThat(a.engine.items()).containsExactly("1", "2", "3");
    assertThat(a.refused()).isEqualTo(1);
    assertThat(a.engine.remove("2")).isTrue();
    assertThat(a.engine.add("4")).isTrue();
    assertThat(a.engine.contains("4")).isTrue();
    assertThat(a.engine.size()).isEqualTo(3);
  }

  @Test
  void anEngineNeverRequestsMoreItemsThanItHasRoomFor() {
    SingleEngine a = new SingleEngine(1, List.of("b"), b -> b.maxItems(2));
    a.engine.add("mine");
    a.startFirstRound();
    long nonce = a.adapter.helloNonce("b");
    a.engine.onDigest("b", List.of("x", "y", "z"), nonce);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);

    assertThat(a.adapter.sent(Kind.REQUEST))
        .singleElement()
        .extracting(PullMessage::items)
        .isEqualTo(List.of("x"));
  }

  @Test
  void pulledItemsThatNoLongerFitAreRefusedAndNotReported() {
    SingleEngine a = new SingleEngine(1, List.of("b"), b -> b.maxItems(2));
    a.engine.add("mine");
    a.startFirstRound();
    long nonce = a.adapter.helloNonce("b");
    a.engine.onDigest("b", List.of("x"), nonce);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    a.engine.add("pushedMeanwhile");

    a.engine.onResponse("b", List.of("x"), nonce);

    assertThat(a.engine.items()).containsExactly("mine", "pushedMeanwhile");
    assertThat(a.refused()).isEqualTo(1);
    assertThat(a.pulled).isEmpty();
  }

  @Test
  void aDigestIsCappedAtMaxDigestsPerMessageAndSuccessiveDigestsCoverEveryItem() {
    SingleEngine a = new SingleEngine(3, List.of(), b -> b.maxDigestsPerMessage(4));
    IntStream.range(0, 10).forEach(i -> a.engine.add("i" + i));
    Set<String> disclosed = new HashSet<>();
    for (int hello = 0; hello < 40 && disclosed.size() < 10; hello++) {
      a.engine.onHello("b", hello);
    }
    a.adapter.sent(Kind.DIGEST).forEach(d -> disclosed.addAll(d.items()));

    assertThat(a.adapter.sent(Kind.DIGEST)).allSatisfy(d -> assertThat(d.items()).hasSize(4));
    assertThat(disclosed).hasSize(10);
  }

  @Test
  void startTwiceOrAfterStopIsAnError() {
    SingleEngine a = new SingleEngine(List.of());
    a.engine.start();
    assertThatThrownBy(a.engine::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SingleEngine.INSTANCE);
    a.engine.stop();
    a.engine.stop();
    assertThatThrownBy(a.engine::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theBuilderRejectsMissingOrNonPositiveSettings() {
    RecordingAdapter adapter = new RecordingAdapter("a", List.of());
    VirtualScheduler time = new VirtualScheduler();
    assertThatThrownBy(() -> PullEngine.builder("x", adapter).scheduler(time).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("meterRegistry");
    assertThatThrownBy(() -> PullEngine.builder("x", adapter).pullInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pullInterval");
    assertThatThrownBy(() -> PullEngine.builder("x", adapter).maxItems(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxItems");
    assertThatThrownBy(() -> PullEngine.builder("", adapter))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Which of b, c, d engine "a" asks for each of 30 items all three advertise, for a seed. */
  private static Map<String, String> ownerChoice(long seed) {
    SingleEngine a = new SingleEngine(seed, List.of("b", "c", "d"), b -> b);
    a.startFirstRound();
    for (String peer : List.of("b", "c", "d")) {
      a.engine.onDigest(peer, THIRTY, a.adapter.helloNonce(peer));
    }
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    Map<String, String> ownerOf = new LinkedHashMap<>();
    for (PullMessage request : a.adapter.sent(Kind.REQUEST)) {
      assertThat(request.nonce()).isEqualTo(a.adapter.helloNonce(request.to()));
      for (String item : request.items()) {
        assertThat(ownerOf.put(item, request.to())).as("%s requested twice", item).isNull();
      }
    }
    return ownerOf;
  }
}
