package org.ledgergossip.core.internal.pull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.ledgergossip.core.internal.pull.PullMessage.Kind;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Engines named by strings, wired together through their adapters on one {@link VirtualScheduler}:
 * every message is delivered as a task {@code latency} later, or lost with probability {@code
 * loss}. Every message sent is logged, delivered or not. Deterministic for a seed.
 */
final class PullNetwork {

  static final Duration PULL_INTERVAL = Duration.ofSeconds(4);

  final VirtualScheduler time = new VirtualScheduler();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<PullMessage> log = new ArrayList<>();
  private final Map<String, PullEngine<String>> engines = new LinkedHashMap<>();
  private final Random random;
  private final long seed;
  private final double loss;
  private final Duration latency;
  private final int fanOut;

  PullNetwork(long seed, double loss, Duration latency, int fanOut) {
    this.random = new Random(seed);
    this.seed = seed;
    this.loss = loss;
    this.latency = latency;
    this.fanOut = fanOut;
  }

  /** Adds an engine with the test defaults (Fabric's timers), customised by {@code settings}. */
  PullEngine<String> add(String name, UnaryOperator<PullEngine.Builder<String>> settings) {
    PullEngine.Builder<String> builder =
        PullEngine.builder("test:" + name, new NetAdapter(name))
            .scheduler(time)
            .meterRegistry(registry)
            .random(new SplittableRandom(seed * 31 + engines.size()))
            .pullInterval(PULL_INTERVAL);
    PullEngine<String> engine = settings.apply(builder).build();
    engines.put(name, engine);
    return engine;
  }

  PullEngine<String> engine(String name) {
    PullEngine<String> engine = engines.get(name);
    if (engine == null) {
      throw new AssertionError("no engine " + name);
    }
    return engine;
  }

  List<PullEngine<String>> engines() {
    return List.copyOf(engines.values());
  }

  void startAll() {
    engines.values().forEach(PullEngine::start);
  }

  void stopAll() {
    engines.values().forEach(PullEngine::stop);
  }

  List<PullMessage> sent(Kind kind, String from) {
    return log.stream().filter(m -> m.kind() == kind && m.from().equals(from)).toList();
  }

  List<PullMessage> received(Kind kind, String to) {
    return log.stream().filter(m -> m.kind() == kind && m.to().equals(to)).toList();
  }

  private void transmit(PullMessage message) {
    log.add(message);
    if (loss > 0 && random.nextDouble() < loss) {
      return;
    }
    time.schedule(() -> deliver(message), latency);
  }

  private void deliver(PullMessage m) {
    PullEngine<String> to = engine(m.to());
    switch (m.kind()) {
      case HELLO -> to.onHello(m.from(), m.nonce());
      case DIGEST -> to.onDigest(m.from(), m.items(), m.nonce());
      case REQUEST -> to.onRequest(m.from(), m.items(), m.nonce());
      case RESPONSE -> to.onResponse(m.from(), m.items(), m.nonce());
    }
  }

  /** One node's adapter: {@code fanOut} random other nodes per round. */
  private final class NetAdapter implements PullAdapter<String> {
    private final String self;

    NetAdapter(String self) {
      this.self = self;
    }

    @Override
    public List<String> selectPeers() {
      List<String> others = new ArrayList<>(engines.keySet());
      others.remove(self);
      Collections.shuffle(others, random);
      return List.copyOf(others.subList(0, Math.min(fanOut, others.size())));
    }

    @Override
    public void hello(String dest, long nonce) {
      transmit(new PullMessage(Kind.HELLO, self, dest, List.of(), nonce));
    }

    @Override
    public void sendDigest(String dest, List<String> digests, long nonce) {
      transmit(new PullMessage(Kind.DIGEST, self, dest, digests, nonce));
    }

    @Override
    public void sendRequest(String dest, List<String> items, long nonce) {
      transmit(new PullMessage(Kind.REQUEST, self, dest, items, nonce));
    }

    @Override
    public void sendResponse(String dest, List<String> items, long nonce) {
      transmit(new PullMessage(Kind.RESPONSE, self, dest, items, nonce));
    }
  }
}
