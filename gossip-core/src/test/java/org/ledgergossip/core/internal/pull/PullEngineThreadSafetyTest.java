package org.ledgergossip.core.internal.pull;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.time.Scheduler;

/**
 * Transport threads calling the {@code on*} methods while the owner adds and removes items and the
 * engine runs rounds on a real scheduler: nothing throws, nothing deadlocks, the bound holds.
 */
class PullEngineThreadSafetyTest {

  private static final int THREADS = 4;
  private static final int CALLS_PER_THREAD = 5_000;

  @Test
  void concurrentCallersNeitherThrowNorDeadlockAndTheItemBoundHolds() throws Exception {
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    LoopbackAdapter loopback = new LoopbackAdapter();
    CountDownLatch pulledSomething = new CountDownLatch(1);
    try (Scheduler scheduler = Scheduler.system("pull-thread-safety")) {
      PullEngine<String> engine =
          PullEngine.builder("threads", loopback)
              .scheduler(scheduler)
              .meterRegistry(new SimpleMeterRegistry())
              .pullInterval(Duration.ofMillis(1))
              .digestWaitTime(Duration.ofMillis(1))
              .maxItems(50)
              .listener((from, items) -> pulledSomething.countDown())
              .build();
      loopback.engine.set(engine);
      engine.start();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long seed = t;
        Thread thread =
            new Thread(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  try {
                    go.await();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                      call(engine, random);
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                },
                "caller-" + t);
        thread.start();
        threads.add(thread);
      }
      go.countDown();
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
      }
      assertThat(pulledSomething.await(60, TimeUnit.SECONDS))
          .as("rounds on the scheduler thread completed a pull through the loopback")
          .isTrue();
      engine.stop();
      assertThat(failures).isEmpty();
      assertThat(engine.size()).isLessThanOrEqualTo(50);
    }
  }

  private static void call(PullEngine<String> engine, SplittableRandom random) {
    String peer = "p" + random.nextInt(4);
    String item = Integer.toString(random.nextInt(100));
    long nonce = random.nextInt(8);
    switch (random.nextInt(7)) {
      case 0 -> engine.add(item);
      case 1 -> engine.remove(item);
      case 2 -> engine.onHello(peer, nonce);
      case 3 -> engine.onDigest(peer, List.of(item), nonce);
      case 4 -> engine.onRequest(peer, List.of(item), nonce);
      case 5 -> engine.onResponse(peer, List.of(item), nonce);
      default -> assertThat(engine.items().size()).isLessThanOrEqualTo(50);
    }
  }

  /**
   * Every remote peer is the engine itself, answering at once on the sending thread: a hello gets a
   * digest, a digest a request, a request a response. This also checks that an adapter may call
   * back into the engine.
   */
  private static final class LoopbackAdapter implements PullAdapter<String> {
    final AtomicReference<PullEngine<String>> engine = new AtomicReference<>();

    @Override
    public List<String> selectPeers() {
      return List.of("p0", "p1", "p2");
    }

    @Override
    public void hello(String dest, long nonce) {
      engine.get().onDigest(dest, List.of("d" + (nonce & 63), "7"), nonce);
    }

    @Override
    public void sendDigest(String dest, List<String> digests, long nonce) {
      engine.get().onRequest(dest, digests, nonce);
    }

    @Override
    public void sendRequest(String dest, List<String> items, long nonce) {
      engine.get().onResponse(dest, items, nonce);
    }

    @Override
    public void sendResponse(String dest, List<String> items, long nonce) {}
  }
}
