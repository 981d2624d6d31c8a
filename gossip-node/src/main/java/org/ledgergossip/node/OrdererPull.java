package org.ledgergossip.node;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.statetransfer.StateTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's pull from the ordering service for one channel: while {@linkplain #start started}, a
 * {@link BlockSource} subscription from the ledger height hands each block to {@link
 * StateTransfer#deliverFromOrderer}. Blocks the payload buffer cannot take (it stayed full for
 * {@code backpressure}) end the subscription, and a new one starts from the height reached after
 * {@value #RESUBSCRIBE_MILLIS} ms, so nothing is skipped. When the source has been failing for
 * {@code yieldAfter}, {@code onStuck} runs once per failure streak (a dynamic leader yields).
 *
 * <p><b>Threading.</b> {@link #start} and {@link #stop} may be called from any thread but the
 * source's; the source's callbacks run on its own thread.
 */
final class OrdererPull {

  /** Blocks of the ordering service refused or failed deliveries, by channel. */
  static final String FAILURES = "gossip_orderer_pull_failures_total";

  static final long RESUBSCRIBE_MILLIS = 200;

  private static final Logger log = LoggerFactory.getLogger(OrdererPull.class);

  private final String channel;
  private final @Nullable BlockSource source;
  private final StateTransfer state;
  private final Scheduler scheduler;
  private final Duration backpressure;
  private final Duration yieldAfter;
  private final Runnable onStuck;
  private final Counter failures;

  private final Object lock = new Object();

  /** The generation whose callbacks count; 0 when not running. */
  private volatile long activeGen;

  @GuardedBy("lock")
  private BlockSource.@Nullable Subscription subscription;

  @GuardedBy("lock")
  private @Nullable Cancellable resubscribe;

  @GuardedBy("lock")
  private long generation;

  private volatile boolean stuckReported;

  /** True from a failure until the next block. */
  private volatile boolean failing;

  OrdererPull(
      String channel,
      @Nullable BlockSource source,
      StateTransfer state,
      Scheduler scheduler,
      Duration backpressure,
      Duration yieldAfter,
      Runnable onStuck,
      MeterRegistry meters) {
    this.channel = requireNonNull(channel, "channel");
    this.source = source;
    this.state = requireNonNull(state, "state");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.backpressure = requireNonNull(backpressure, "backpressure");
    this.yieldAfter = requireNonNull(yieldAfter, "yieldAfter");
    this.onStuck = requireNonNull(onStuck, "onStuck");
    this.failures =
        Counter.builder(FAILURES)
            .description("Failed or refused deliveries from the ordering service")
            .tag("channel", channel)
            .register(meters);
  }

  /** Starts pulling from the ledger height (no-op if running). */
  void start() {
    long gen;
    synchronized (lock) {
      if (activeGen != 0) {
        return;
      }
      gen = ++generation;
      activeGen = gen;
    }
    stuckReported = false;
    if (source == null) {
      log.warn(
          "channel {}: this peer leads but has no block source configured: no blocks will come"
              + " from the ordering service",
          channel);
      return;
    }
    subscribe(gen);
  }

  /**
   * Stops pulling; no block is handed over after this returns. Idempotent. Must not be called from
   * the source's callbacks.
   */
  void stop() {
    BlockSource.Subscription old;
    synchronized (lock) {
      activeGen = 0;
      generation++;
      if (resubscribe != null) {
        resubscribe.cancel();
        resubscribe = null;
      }
      old = subscription;
      subscription = null;
    }
    if (old != null) {
      old.close();
    }
  }

  private void subscribe(long gen) {
    if (activeGen != gen) {
      return;
    }
    long from = state.height();
    log.info("channel {}: pulling blocks from the ordering service from block {}", channel, from);
    BlockSource.Subscription sub =
        requireNonNull(source).subscribe(channel, from, new Listener(gen));
    synchronized (lock) {
      if (activeGen == gen) {
        subscription = sub;
        return;
      }
    }
    sub.close();
  }

  /** Called from a callback: drop this subscription and start a new one a little later. */
  private void resubscribeLater(long gen) {
    synchronized (lock) {
      if (activeGen != gen) {
        return;
      }
      long next = ++generation;
      activeGen = next;
      BlockSource.Subscription old = subscription;
      subscription = null;
      resubscribe =
          scheduler.schedule(
              () -> {
                if (old != null) {
                  old.close();
                }
                subscribe(next);
              },
              Duration.ofMillis(RESUBSCRIBE_MILLIS));
    }
  }

  private boolean current(long gen) {
    return activeGen == gen;
  }

  /** The callbacks of one subscription; stale once a newer one exists. */
  private final class Listener implements BlockSource.Listener {
    private final long gen;

    Listener(long gen) {
      this.gen = gen;
    }

    @Override
    public void onBlock(Block block) {
      if (!current(gen)) {
        return;
      }
      stuckReported = false;
      if (failing) {
        failing = false;
        log.info(
            "channel {}: the ordering service delivers again (block {})", channel, block.number());
      }
      if (block.number() < state.height()) {
        return; // already committed (by gossip, or before a resubscription)
      }
      boolean taken;
      try {
        taken = state.deliverFromOrderer(block, backpressure);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!taken && block.number() >= state.height()) {
        failures.increment();
        log.debug(
            "channel {}: block {} from the ordering service not taken (buffer full); pulling again"
                + " from the ledger height",
            channel,
            block.number());
        resubscribeLater(gen);
      }
    }

    @Override
    public void onFailure(Throwable cause, long failingFor) {
      if (!current(gen)) {
        return;
      }
      failures.increment();
      if (!failing) {
        failing = true;
        log.warn(
            "channel {}: the ordering service fails ({}); retrying with back-off, further failures"
                + " are counted in {} and logged at debug",
            channel,
            cause.toString(),
            FAILURES);
      } else {
        log.debug(
            "channel {}: ordering service failing for {} ms: {}",
            channel,
            failingFor,
            cause.toString());
      }
      if (failingFor >= yieldAfter.toMillis() && !stuckReported) {
        stuckReported = true;
        scheduler.execute(onStuck);
      }
    }
  }
}
