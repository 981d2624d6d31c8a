package org.ledgergossip.core.internal.pull;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ledgergossip.core.internal.pull.PullMessage.Kind;

/** Several engines on a fake network in virtual time: what the protocol achieves end to end. */
class PullConvergenceTest {

  private static final Duration LATENCY = Duration.ofMillis(20);

  @Test
  void tenEnginesWithDisjointItemsConvergeToTheUnionWithinFivePullIntervals() {
    PullNetwork net = new PullNetwork(42, 0.0, LATENCY, 3);
    Set<String> union = tenNodesWithFiveItemsEach(net, b -> b);
    net.startAll();

    boolean converged =
        net.time.runUntil(() -> allHave(net, union), PullNetwork.PULL_INTERVAL.multipliedBy(5));

    assertThat(converged).isTrue();
    net.engines().forEach(e -> assertThat(e.items()).hasSize(50).containsAll(union));
    assertThat(ignoredTotal(net)).isZero();
  }

  @Test
  void withTenPercentMessageLossTheyStillConvergeWithinTenPullIntervals() {
    // Each message is lost with probability 0.1, so a whole exchange of four messages fails a
    // third of the time; lost items are pulled again in later rounds. Deterministic for the seed.
    PullNetwork net = new PullNetwork(7, 0.1, LATENCY, 3);
    Set<String> union = tenNodesWithFiveItemsEach(net, b -> b);
    net.startAll();

    boolean converged =
        net.time.runUntil(() -> allHave(net, union), PullNetwork.PULL_INTERVAL.multipliedBy(10));

    assertThat(converged).isTrue();
  }

  @Test
  void overlappingRoundsKeepTheirOwnNoncesAndStillConverge() {
    // A round lasts digestWaitTime + responseWaitTime = 3 s, so four rounds are alive at once.
    PullNetwork net = new PullNetwork(3, 0.0, LATENCY, 2);
    Set<String> union = tenNodesWithFiveItemsEach(net, b -> b.pullInterval(Duration.ofMillis(750)));
    net.startAll();

    boolean converged = net.time.runUntil(() -> allHave(net, union), Duration.ofSeconds(20));

    assertThat(converged).isTrue();
    assertThat(ignoredTotal(net)).isZero();
  }

  @Test
  void theIngressFilterDropsBlocksBelowTheLedgerHeightAndTheyAreNeverRequested() {
    PullNetwork net = new PullNetwork(5, 0.0, LATENCY, 3);
    for (int n = 0; n < 4; n++) {
      PullEngine<String> full = net.add("n" + n, b -> b);
      IntStream.range(0, 10).forEach(i -> full.add(Integer.toString(i)));
    }
    long ledgerHeight = 5;
    PullEngine<String> behind =
        net.add("behind", b -> b.ingressFilter(d -> Long.parseLong(d) >= ledgerHeight));
    net.startAll();

    net.time.advanceBy(PullNetwork.PULL_INTERVAL.multipliedBy(5));

    assertThat(behind.items()).containsExactlyInAnyOrder("5", "6", "7", "8", "9");
    assertThat(net.received(Kind.DIGEST, "behind"))
        .as("blocks below the height were advertised to it")
        .anySatisfy(d -> assertThat(d.items()).contains("0"));
    assertThat(net.sent(Kind.REQUEST, "behind"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.items()).allMatch(i -> Long.parseLong(i) >= ledgerHeight));
  }

  @Test
  void theEgressFilterHidesAnItemFromOnePeerOnly() {
    PullNetwork net = new PullNetwork(11, 0.0, LATENCY, 2);
    BiPredicate<String, String> notSecretToEve =
        (peer, item) -> !(peer.equals("eve") && item.equals("secret"));
    PullEngine<String> owner = net.add("owner", b -> b.egressFilter(notSecretToEve));
    PullEngine<String> bob = net.add("bob", b -> b.egressFilter(notSecretToEve));
    PullEngine<String> eve = net.add("eve", b -> b.egressFilter(notSecretToEve));
    owner.add("public");
    owner.add("secret");
    net.startAll();

    net.time.advanceBy(PullNetwork.PULL_INTERVAL.multipliedBy(5));

    assertThat(bob.items()).containsExactlyInAnyOrder("public", "secret");
    assertThat(eve.items()).containsExactly("public");
    List<PullMessage> toEve = net.log.stream().filter(m -> m.to().equals("eve")).toList();
    assertThat(toEve).isNotEmpty().noneMatch(m -> m.items().contains("secret"));
  }

  private static Set<String> tenNodesWithFiveItemsEach(
      PullNetwork net, UnaryOperator<PullEngine.Builder<String>> settings) {
    Set<String> union = new HashSet<>();
    for (int n = 0; n < 10; n++) {
      PullEngine<String> engine = net.add("n" + n, settings);
      for (int i = 0; i < 5; i++) {
        String item = "n" + n + "-" + i;
        engine.add(item);
        union.add(item);
      }
    }
    return union;
  }

  private static boolean allHave(PullNetwork net, Set<String> union) {
    return net.engines().stream().allMatch(e -> e.items().equals(union));
  }

  private static double ignoredTotal(PullNetwork net) {
    return net.registry.find(PullEngine.IGNORED_COUNTER).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
