package org.ledgergossip.core.internal.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.core.internal.pull.PullMessage.Kind;

/**
 * Every message a conforming peer would not send is ignored: counted under its own reason, never
 * answered, and the engine's items stay as they were.
 */
class PullEngineIgnoresBadMessagesTest {

  private static final Duration JUST_AFTER = Duration.ofMillis(1);

  private final SingleEngine a = new SingleEngine(List.of("b", "c"));
  private long nonceB;
  private long nonceC;

  @BeforeEach
  void firstRoundGreetsBAndC() {
    a.engine.add("mine");
    a.startFirstRound();
    nonceB = a.adapter.helloNonce("b");
    nonceC = a.adapter.helloNonce("c");
  }

  @Test
  void aDigestWithANonceWeNeverSentIsIgnoredAsUnknownNonce() {
    a.engine.onDigest("b", List.of("x"), nonceB ^ nonceC ^ 1);
    assertIgnoredOnlyAs(IgnoreReason.UNKNOWN_NONCE);
  }

  @Test
  void aDigestWithTheNonceSentToAnotherPeerIsIgnoredAsWrongPeer() {
    a.engine.onDigest("b", List.of("x"), nonceC);
    assertIgnoredOnlyAs(IgnoreReason.WRONG_PEER);
  }

  @Test
  void aDigestAfterDigestWaitTimeIsIgnoredAsTooLateAndNeverRequested() {
    a.time.advanceBy(SingleEngine.DIGEST_WAIT.plus(JUST_AFTER));
    a.engine.onDigest("b", List.of("x"), nonceB);
    assertIgnoredOnlyAs(IgnoreReason.DIGEST_TOO_LATE);
  }

  @Test
  void aSecondDigestForTheSameNonceIsIgnoredAsDuplicate() {
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.engine.onDigest("b", List.of("y"), nonceB);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    assertThat(a.ignored(IgnoreReason.DUPLICATE)).isEqualTo(1);
    assertThat(a.adapter.sent(Kind.REQUEST))
        .singleElement()
        .extracting(PullMessage::items)
        .isEqualTo(List.of("x"));
  }

  @Test
  void aRequestForANonceWeNeverSentADigestWithIsIgnoredAsUnknownNonce() {
    a.engine.onRequest("b", List.of("mine"), 12345);
    // The nonce of our own hello is not one of a digest we sent.
    a.engine.onRequest("b", List.of("mine"), nonceB);
    assertThat(a.ignored(IgnoreReason.UNKNOWN_NONCE)).isEqualTo(2);
    assertNothingElseHappened(2);
  }

  @Test
  void aRequestEchoingTheNonceOfADigestSentToAnotherPeerIsIgnored() {
    a.engine.onHello("b", 77);
    a.engine.onRequest("c", List.of("mine"), 77);
    assertThat(a.ignored(IgnoreReason.UNKNOWN_NONCE)).isEqualTo(1);
    assertThat(a.adapter.sent(Kind.RESPONSE)).isEmpty();
  }

  @Test
  void aRequestAfterRequestWaitTimeIsIgnoredAsTooLate() {
    a.engine.onHello("b", 77);
    assertThat(a.adapter.sent(Kind.DIGEST, "b"))
        .singleElement()
        .extracting(PullMessage::nonce)
        .isEqualTo(77L);
    a.time.advanceBy(SingleEngine.REQUEST_WAIT.plus(JUST_AFTER));
    a.engine.onRequest("b", List.of("mine"), 77);
    assertThat(a.ignored(IgnoreReason.REQUEST_TOO_LATE)).isEqualTo(1);
    assertThat(a.adapter.sent(Kind.RESPONSE)).isEmpty();
  }

  @Test
  void aSecondRequestForTheSameDigestIsIgnoredAsDuplicate() {
    a.engine.onHello("b", 77);
    a.engine.onRequest("b", List.of("mine"), 77);
    a.engine.onRequest("b", List.of("mine"), 77);
    assertThat(a.adapter.sent(Kind.RESPONSE)).hasSize(1);
    assertThat(a.ignored(IgnoreReason.DUPLICATE)).isEqualTo(1);
  }

  @Test
  void aResponseAfterResponseWaitTimeIsIgnoredAsTooLate() {
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    assertThat(a.adapter.sent(Kind.REQUEST, "b")).hasSize(1);
    a.time.advanceBy(SingleEngine.RESPONSE_WAIT.plus(JUST_AFTER));
    a.engine.onResponse("b", List.of("x"), nonceB);
    assertThat(a.ignored(IgnoreReason.RESPONSE_TOO_LATE)).isEqualTo(1);
    assertThat(a.ignoredTotal()).isEqualTo(1);
    assertThat(a.engine.items()).containsExactly("mine");
    assertThat(a.pulled).isEmpty();
  }

  @Test
  void aResponseFromAPeerWeGreetedButDidNotAskIsIgnoredAsNotRequested() {
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    a.engine.onResponse("c", List.of("x"), nonceC);
    assertThat(a.ignored(IgnoreReason.NOT_REQUESTED)).isEqualTo(1);
    assertThat(a.engine.items()).containsExactly("mine");
  }

  @Test
  void aResponseFromAPeerWeNeverGreetedEchoingAnotherPeersNonceIsIgnoredAsWrongPeer() {
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    a.engine.onResponse("mallory", List.of("x"), nonceB);
    assertThat(a.ignored(IgnoreReason.WRONG_PEER)).isEqualTo(1);
    assertThat(a.engine.items()).containsExactly("mine");
    // The genuine response still gets in.
    a.engine.onResponse("b", List.of("x"), nonceB);
    assertThat(a.engine.items()).containsExactly("mine", "x");
    assertThat(a.pulled).containsExactly(List.of("x"));
  }

  @Test
  void aResponseBeforeTheRequestWasSentIsIgnoredAsNotRequested() {
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.engine.onResponse("b", List.of("x"), nonceB);
    assertThat(a.ignored(IgnoreReason.NOT_REQUESTED)).isEqualTo(1);
    assertThat(a.engine.items()).containsExactly("mine");
  }

  @Test
  void aResponseWithAnItemWeDidNotRequestIsIgnoredWhole() {
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    a.engine.onResponse("b", List.of("x", "smuggled"), nonceB);
    assertThat(a.ignored(IgnoreReason.UNREQUESTED_ITEMS)).isEqualTo(1);
    assertThat(a.engine.items()).containsExactly("mine");
  }

  @Test
  void aSecondResponseIsIgnoredAsDuplicate() {
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.time.advanceBy(SingleEngine.DIGEST_WAIT);
    a.engine.onResponse("b", List.of("x"), nonceB);
    a.engine.remove("x");
    a.engine.onResponse("b", List.of("x"), nonceB);
    assertThat(a.ignored(IgnoreReason.DUPLICATE)).isEqualTo(1);
    assertThat(a.engine.items()).containsExactly("mine");
  }

  @Test
  void nullsAndBadItemsAreIgnoredAsMalformedWithoutThrowing() {
    List<String> withNull = Arrays.asList("x", null);
    assertThatNoException()
        .isThrownBy(
            () -> {
              a.engine.onHello(null, 1);
              a.engine.onDigest(null, List.of("x"), nonceB);
              a.engine.onDigest("b", null, nonceB);
              a.engine.onDigest("b", withNull, nonceB);
              a.engine.onDigest("b", List.of(""), nonceB);
              a.engine.onDigest("b", List.of("x".repeat(257)), nonceB);
              a.engine.onRequest("b", null, nonceB);
              a.engine.onResponse("b", withNull, nonceB);
            });
    assertThat(a.ignored(IgnoreReason.MALFORMED)).isEqualTo(8);
    assertNothingElseHappened(8);
  }

  @Test
  void aListLongerThanMaxDigestsPerMessageIsIgnoredAsTooManyItems() {
    List<String> huge = new ArrayList<>(Collections.nCopies(1001, "x"));
    a.engine.onDigest("b", huge, nonceB);
    a.engine.onRequest("b", huge, nonceB);
    a.engine.onResponse("b", huge, nonceB);
    assertThat(a.ignored(IgnoreReason.TOO_MANY_ITEMS)).isEqualTo(3);
    assertNothingElseHappened(3);
  }

  @Test
  void aRepeatedHelloIsIgnoredAsDuplicate() {
    a.engine.onHello("b", 5);
    a.engine.onHello("b", 5);
    assertThat(a.adapter.sent(Kind.DIGEST)).hasSize(1);
    assertThat(a.ignored(IgnoreReason.DUPLICATE)).isEqualTo(1);
  }

  @Test
  void hellosBeyondMaxOutstandingNoncesAreIgnored() {
    SingleEngine small = new SingleEngine(1, List.of(), b -> b.maxOutstandingNonces(2));
    small.engine.add("mine");
    small.engine.onHello("b", 1);
    small.engine.onHello("c", 1);
    small.engine.onHello("d", 1);
    assertThat(small.ignored(IgnoreReason.TOO_MANY_NONCES)).isEqualTo(1);
    assertThat(small.adapter.sent(Kind.DIGEST)).hasSize(2);
    // Once the first digests are older than requestWaitTime, there is room again.
    small.time.advanceBy(SingleEngine.REQUEST_WAIT.plus(JUST_AFTER));
    small.engine.onHello("d", 1);
    assertThat(small.adapter.sent(Kind.DIGEST)).hasSize(3);
  }

  @Test
  void aThrowingFilterDropsTheMessageAsFilterFailed() {
    SingleEngine faulty =
        new SingleEngine(
            1,
            List.of("b"),
            b ->
                b.ingressFilter(
                        d -> {
                          throw new IllegalStateException("ledger closed");
                        })
                    .egressFilter(
                        (p, d) -> {
                          throw new IllegalStateException("policy unavailable");
                        }));
    faulty.engine.add("mine");
    faulty.startFirstRound();
    assertThatNoException()
        .isThrownBy(
            () -> {
              faulty.engine.onDigest("b", List.of("x"), faulty.adapter.helloNonce("b"));
              faulty.engine.onHello("b", 9);
            });
    assertThat(faulty.ignored(IgnoreReason.FILTER_FAILED)).isEqualTo(2);
    assertThat(faulty.adapter.sent(Kind.DIGEST)).isEmpty();
  }

  @Test
  void afterStopEveryMessageIsIgnoredAsStopped() {
    a.engine.stop();
    a.engine.onHello("b", 1);
    a.engine.onDigest("b", List.of("x"), nonceB);
    a.engine.onRequest("b", List.of("mine"), 1);
    a.engine.onResponse("b", List.of("x"), nonceB);
    assertThat(a.ignored(IgnoreReason.STOPPED)).isEqualTo(4);
    assertNothingElseHappened(4);
  }

  /** Exactly one message was ignored, for {@code reason}, and nothing else changed. */
  private void assertIgnoredOnlyAs(IgnoreReason reason) {
    assertThat(a.ignored(reason)).isEqualTo(1);
    assertNothingElseHappened(1);
    // Not even later: the round ends without a request.
    a.time.advanceBy(SingleEngine.DIGEST_WAIT.plus(SingleEngine.RESPONSE_WAIT));
    assertThat(a.adapter.sent(Kind.REQUEST)).isEmpty();
  }

  private void assertNothingElseHappened(int ignoredInTotal) {
    assertThat(a.ignoredTotal()).isEqualTo(ignoredInTotal);
    assertThat(a.engine.items()).isEqualTo(Set.of("mine"));
    assertThat(a.adapter.sent).allMatch(m -> m.kind() == Kind.HELLO);
    assertThat(a.pulled).isEmpty();
  }
}
