package org.ledgergossip.statetransfer;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.statetransfer.StateMetrics.Drop;
import org.ledgergossip.statetransfer.StateMetrics.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the payload buffer into the ledger: each released block is checked against the hash chain
 * (when enabled), appended, timed and counted; a failure resets the buffer to the ledger's height
 * so the block is fetched again. One drain at a time, run on the given executor; {@link #schedule}
 * queues at most one.
 */
final class Committer {

  private static final Logger log = LoggerFactory.getLogger(Committer.class);

  /** A block waiting in the buffer, with how it arrived. */
  record Entry(Block block, Via via) {}

  private final String channel;
  private final LedgerStore ledger;
  private final PayloadBuffer<Entry> buffer;
  private final StateMetrics metrics;
  private final AtomicLong height;
  private final Clock clock;
  private final Executor executor;
  private final boolean checkHashChain;
  private final BooleanSupplier stopped;
  private final Consumer<Entry> committed;
  private final Runnable afterDrain;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Object lock = new Object();

  @GuardedBy("lock")
  private @Nullable Block last;

  /**
   * @param committed told of every block committed, on the drain
   * @param afterDrain run after a drain that committed something
   */
  Committer(
      String channel,
      LedgerStore ledger,
      PayloadBuffer<Entry> buffer,
      StateMetrics metrics,
      AtomicLong height,
      Clock clock,
      Executor executor,
      boolean checkHashChain,
      BooleanSupplier stopped,
      Consumer<Entry> committed,
      Runnable afterDrain) {
    this.channel = channel;
    this.ledger = ledger;
    this.buffer = buffer;
    this.metrics = metrics;
    this.height = height;
    this.clock = clock;
    this.executor = executor;
    this.checkHashChain = checkHashChain;
    this.stopped = stopped;
    this.committed = committed;
    this.afterDrain = afterDrain;
  }

  /** Queues a drain unless one is queued already. */
  void schedule() {
    if (queued.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    queued.set(false);
    boolean any = false;
    synchronized (lock) {
      while (!stopped.getAsBoolean()) {
        Optional<Entry> next = buffer.poll();
        if (next.isEmpty() || !commit(next.get())) {
          break;
        }
        any = true;
      }
    }
    if (any) {
      afterDrain.run();
    }
  }

  @GuardedBy("lock")
  private boolean commit(Entry entry) {
    Block block = entry.block();
    if (checkHashChain && !chainsOn(block)) {
      metrics.drop(
          Drop.BROKEN_CHAIN,
          log,
          "channel "
              + channel
              + ": block "
              + block.number()
              + "'s previous hash is not the header hash of block "
              + (block.number() - 1));
      buffer.reset(height.get());
      return false;
    }
    long start = clock.nanoTime();
    try {
      ledger.append(block);
    } catch (LedgerException | RuntimeException e) {
      metrics.drop(
          Drop.LEDGER_FAILURE,
          log,
          "channel " + channel + ": cannot commit block " + block.number() + ": " + e);
      buffer.reset(ledger.height());
      height.set(ledger.height());
      return false;
    }
    metrics.commitDuration().record(Duration.ofNanos(clock.nanoTime() - start));
    metrics.committed();
    height.set(block.number() + 1);
    last = block;
    committed.accept(entry);
    return true;
  }

  /** True if {@code block} links to the block before it (or that one cannot be found). */
  @GuardedBy("lock")
  private boolean chainsOn(Block block) {
    if (block.number() == 0) {
      return true;
    }
    Block previous = last;
    if (previous == null || previous.number() != block.number() - 1) {
      try {
        previous = ledger.get(block.number() - 1).orElse(null);
      } catch (LedgerException | RuntimeException e) {
        previous = null;
      }
      if (previous == null) {
        return true;
      }
      last = previous;
    }
    return block.previousHash().equals(BlockFormat.headerHash(previous));
  }
}
