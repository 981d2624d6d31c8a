package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.orderer.BlockSource;

/** See {@link EmulatorBlockSourceProvider}. Thread-safe. */
final class EmulatorBlockSource implements BlockSource {

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final String emulatorName;
  private final Set<String> ordererMspIds;
  private final Msp msp;
  private final Scheduler scheduler;
  private final List<SourceSubscription> subscriptions = new CopyOnWriteArrayList<>();

  EmulatorBlockSource(
      String emulatorName, Set<String> ordererMspIds, Msp msp, Scheduler scheduler) {
    this.emulatorName = emulatorName;
    this.ordererMspIds = ordererMspIds;
    this.msp = requireNonNull(msp, "msp");
    this.scheduler = requireNonNull(scheduler, "scheduler");
  }

  @Override
  public Subscription subscribe(String channel, long fromHeight, Listener listener) {
    requireNonNull(channel, "channel");
    requireNonNull(listener, "listener");
    if (fromHeight < 0) {
      throw new IllegalArgumentException("fromHeight must be >= 0, was " + fromHeight);
    }
    BlockVerifier verifier =
        BlockVerifier.builder()
            .msp(msp)
            .ordererMspIds(ordererMspIds)
            .channel(channel)
            .clock(scheduler.clock())
            .build();
    SourceSubscription s = new SourceSubscription(channel, fromHeight, listener, verifier);
    subscriptions.add(s);
    s.attempt();
    return s;
  }

  @Override
  public void close() {
    for (SourceSubscription s : subscriptions) {
      s.close();
    }
  }

  @Override
  public String toString() {
    return "EmulatorBlockSource[" + emulatorName + "]";
  }

  /** One channel's subscription, re-made after each failure. */
  private final class SourceSubscription implements Subscription, Listener {
    private final String channel;
    private final Listener listener;
    private final BlockVerifier verifier;
    // Guarded by this.
    private long next;
    private @Nullable Bytes previousHash;
    private @Nullable Subscription delivery;
    private @Nullable Cancellable retry;
    private Duration backoff = FIRST_BACKOFF;
    private long lastProgressNanos;
    private boolean closed;

    SourceSubscription(String channel, long from, Listener listener, BlockVerifier verifier) {
      this.channel = channel;
      this.next = from;
      this.listener = listener;
      this.verifier = verifier;
      this.lastProgressNanos = scheduler.clock().nanoTime();
    }

    synchronized void attempt() {
      retry = null;
      if (closed) {
        return;
      }
      Optional<OrdererEmulator> emulator = OrdererEmulator.lookup(emulatorName);
      if (emulator.isEmpty()) {
        fail(new IllegalStateException("no open ordering-service emulator named " + emulatorName));
        return;
      }
      try {
        delivery = emulator.get().deliver(channel, next, this);
      } catch (IllegalArgumentException | IllegalStateException e) {
        fail(e);
      }
    }

    @Override
    public synchronized void onBlock(Block block) {
      if (closed) {
        return;
      }
      BlockVerifier.Result result = verifier.verify(block, next, previousHash);
      if (!result.isValid()) {
        Subscription d = delivery;
        if (d != null) {
          d.close();
        }
        fail(
            new BlockRejectedException(
                block.number(), requireNonNull(result.reason()).metricTag(), result.detail()));
        return;
      }
      previousHash = BlockFormat.headerHash(block);
      next = block.number() + 1;
      backoff = FIRST_BACKOFF;
      lastProgressNanos = scheduler.clock().nanoTime();
      listener.onBlock(block);
    }

    @Override
    public synchronized void onFailure(Throwable cause, long failingFor) {
      fail(cause);
    }

    /** Reports {@code cause} and subscribes again after the back-off. */
    private void fail(Throwable cause) {
      delivery = null;
      if (closed) {
        return;
      }
      long failingForMillis = (scheduler.clock().nanoTime() - lastProgressNanos) / 1_000_000;
      listener.onFailure(cause, failingForMillis);
      if (retry == null) {
        retry = scheduler.schedule(this::attempt, backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
      }
    }

    @Override
    public void close() {
      Subscription d;
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        d = delivery;
        delivery = null;
        if (retry != null) {
          retry.cancel();
        }
      }
      if (d != null) {
        d.close();
      }
      subscriptions.remove(this);
    }
  }
}
