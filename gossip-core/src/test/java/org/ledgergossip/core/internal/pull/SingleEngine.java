package org.ledgergossip.core.internal.pull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * One engine "a" whose peers are played by the test: it greets {@code peers}, its messages are
 * recorded, and the test calls its {@code on*} methods directly. Fabric's default timers.
 */
final class SingleEngine {

  static final String INSTANCE = "blocks:mychannel";
  static final Duration PULL_INTERVAL = Duration.ofSeconds(4);
  static final Duration DIGEST_WAIT = Duration.ofSeconds(1);
  static final Duration REQUEST_WAIT = Duration.ofMillis(1500);
  static final Duration RESPONSE_WAIT = Duration.ofSeconds(2);

  final VirtualScheduler time = new VirtualScheduler();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RecordingAdapter adapter;
  final List<List<String>> pulled = new ArrayList<>();
  final PullEngine<String> engine;

  SingleEngine(long seed, List<String> peers, UnaryOperator<PullEngine.Builder<String>> settings) {
    this.adapter = new RecordingAdapter("a", peers);
    PullEngine.Builder<String> builder =
        PullEngine.builder(INSTANCE, adapter)
            .scheduler(time)
            .meterRegistry(registry)
            .random(new SplittableRandom(seed))
            .pullInterval(PULL_INTERVAL)
            .digestWaitTime(DIGEST_WAIT)
            .requestWaitTime(REQUEST_WAIT)
            .responseWaitTime(RESPONSE_WAIT)
            .listener((from, items) -> pulled.add(items));
    this.engine = settings.apply(builder).build();
  }

  SingleEngine(List<String> peers) {
    this(1, peers, b -> b);
  }

  /** Starts the engine and runs up to the first round's hellos. */
  void startFirstRound() {
    engine.start();
    time.advanceBy(PULL_INTERVAL);
  }

  double ignored(IgnoreReason reason) {
    Counter c =
        registry
            .find(PullEngine.IGNORED_COUNTER)
            .tag("instance", INSTANCE)
            .tag("reason", reason.metricTag())
            .counter();
    return c == null ? -1 : c.count();
  }

  double ignoredTotal() {
    return registry.find(PullEngine.IGNORED_COUNTER).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  double refused() {
    Counter c = registry.find(PullEngine.REFUSED_COUNTER).tag("instance", INSTANCE).counter();
    return c == null ? -1 : c.count();
  }
}
