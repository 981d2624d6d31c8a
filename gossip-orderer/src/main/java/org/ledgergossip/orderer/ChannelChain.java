package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.orderer.BlockSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of the emulator: the inbox of broadcast envelopes, Fabric's block cutter (batch size,
 * preferred bytes, batch timeout), the hash chain, the block log and the deliver subscribers.
 *
 * <p><b>Threading.</b> The batch, the timer and the last header hash are confined to the emulator's
 * scheduler. The inbox is guarded by {@code this}; the subscriber list is copy-on-write; the log is
 * thread-safe for readers.
 */
final class ChannelChain {

  /** Blocks delivered to one subscriber per scheduler task, so cutting interleaves with replay. */
  static final int REPLAY_CHUNK = 64;

  private static final Logger LOG = LoggerFactory.getLogger(ChannelChain.class);

  /** A broadcast item: a marshalled envelope, or raw data to wrap into one. */
  private record Pending(Bytes bytes, boolean wrap) {}

  final String channel;
  private final OrdererEmulator emulator;
  private final BlockLog log;
  private final ArrayDeque<Pending> inbox = new ArrayDeque<>();
  private final List<Delivery> subscribers = new CopyOnWriteArrayList<>();
  private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
  private final Counter blocksSent;
  private final MeterRegistry registry;

  // Confined to the scheduler (or to the constructor, before the chain is published).
  private Bytes lastHeaderHash;
  private final List<Bytes> batch = new ArrayList<>();
  private long batchBytes;
  private @Nullable Cancellable batchTimer;

  ChannelChain(String channel, OrdererEmulator emulator, BlockLog log) throws LedgerException {
    this.channel = requireNonNull(channel, "channel");
    this.emulator = emulator;
    this.log = log;
    this.registry = emulator.registry;
    this.blocksSent =
        Counter.builder("deliver_blocks_sent")
            .description("Blocks sent by the deliver service")
            .tag("channel", channel)
            .register(registry);
    Gauge.builder("ledger_blockchain_height", log, BlockLog::height)
        .description("Height of the orderer's chain of a channel")
        .tag("channel", channel)
        .register(registry);
    long height = log.height();
    if (height == 0) {
      Bytes config =
          ChannelEnvelopes.create(
              channel,
              ChannelEnvelopes.Type.CONFIG,
              emulator.clock().instant(),
              Bytes.EMPTY,
              emulator.msp,
              emulator.nonce());
      Block genesis =
          emulator.signer.sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of(config)), 0);
      log.append(genesis);
      lastHeaderHash = BlockFormat.headerHash(genesis);
    } else {
      Block last =
          log.get(height - 1)
              .orElseThrow(() -> new LedgerException("block " + (height - 1) + " is unreadable"));
      lastHeaderHash = BlockFormat.headerHash(last);
    }
  }

  long height() {
    return log.height();
  }

  /** The lowest block number still held. */
  long oldest() {
    return log.oldest();
  }

  Optional<Block> block(long number) throws LedgerException {
    return log.get(number);
  }

  /** Accepts an item for ordering if the inbox has room; the cutting runs on the scheduler. */
  BroadcastStatus enqueue(Bytes bytes, boolean wrap) {
    BroadcastStatus status;
    boolean first;
    synchronized (this) {
      if (inbox.size() >= emulator.maxPendingEnvelopes) {
        status = BroadcastStatus.SERVICE_UNAVAILABLE;
        first = false;
      } else {
        first = inbox.isEmpty();
        inbox.addLast(new Pending(bytes, wrap));
        status = BroadcastStatus.SUCCESS;
      }
    }
    count(status);
    if (first) {
      emulator.scheduler.execute(this::drain);
    }
    return status;
  }

  void count(BroadcastStatus status) {
    registry
        .counter("broadcast_processed_count", "channel", channel, "status", status.name())
        .increment();
  }

  private void drain() {
    while (true) {
      Pending next;
      synchronized (this) {
        next = inbox.pollFirst();
      }
      if (next == null || emulator.isClosed()) {
        return;
      }
      Bytes envelope =
          next.wrap()
              ? ChannelEnvelopes.create(
                  channel,
                  ChannelEnvelopes.Type.ENDORSER_TRANSACTION,
                  emulator.clock().instant(),
                  next.bytes(),
                  emulator.msp,
                  emulator.nonce())
              : next.bytes();
      order(envelope);
    }
  }

  /** Fabric's {@code blockcutter.Ordered}, plus the batch timer of its chains. */
  private void order(Bytes envelope) {
    int size = envelope.size();
    if (size > emulator.preferredMaxBytes) {
      cutBatch();
      cut(List.of(envelope));
      return;
    }
    if (batchBytes + size > emulator.preferredMaxBytes) {
      cutBatch();
    }
    batch.add(envelope);
    batchBytes += size;
    if (batch.size() >= emulator.maxMessageCount) {
      cutBatch();
    } else if (batchTimer == null) {
      batchTimer = emulator.scheduler.schedule(this::onBatchTimeout, emulator.batchTimeout);
    }
  }

  private void onBatchTimeout() {
    batchTimer = null;
    cutBatch();
  }

  private void cutBatch() {
    if (batchTimer != null) {
      batchTimer.cancel();
      batchTimer = null;
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Bytes> data = List.copyOf(batch);
    batch.clear();
    batchBytes = 0;
    cut(data);
  }

  /** Cuts one synthetic block of the load's envelopes; runs on the scheduler. */
  void cutSynthetic(SyntheticLoad load) {
    if (emulator.isClosed()) {
      return;
    }
    List<Bytes> data = new ArrayList<>(load.transactionsPerBlock());
    for (int i = 0; i < load.transactionsPerBlock(); i++) {
      data.add(
          ChannelEnvelopes.create(
              channel,
              ChannelEnvelopes.Type.ENDORSER_TRANSACTION,
              emulator.clock().instant(),
              emulator.randomBytes(load.transactionSize()),
              emulator.msp,
              emulator.nonce()));
    }
    cut(data);
  }

  /** Makes, signs, stores the next block of {@code data} and wakes the subscribers. */
  private void cut(List<Bytes> data) {
    long number = log.height();
    Block block = emulator.signer.sign(BlockFormat.newBlock(number, lastHeaderHash, data), 0);
    try {
      log.append(block);
    } catch (LedgerException | RuntimeException e) {
      LOG.error("channel {}: cannot store block {}; its transactions are lost", channel, number, e);
      return;
    }
    lastHeaderHash = BlockFormat.headerHash(block);
    for (Delivery d : subscribers) {
      wake(d);
    }
    notifyWatchers();
  }

  /**
   * Runs {@code onChange} (on the scheduler; it must return at once) after each new block and when
   * the channel closes, until the returned handle is closed. Counts towards the subscribers bound.
   *
   * @throws IllegalStateException if the channel has the maximum of subscribers
   */
  AutoCloseable watch(Runnable onChange) {
    requireNonNull(onChange, "onChange");
    if (subscribers.size() + watchers.size() >= emulator.maxSubscribers) {
      throw new IllegalStateException(
          "channel " + channel + " has the maximum of " + emulator.maxSubscribers + " subscribers");
    }
    watchers.add(onChange);
    return () -> watchers.remove(onChange);
  }

  private void notifyWatchers() {
    for (Runnable w : watchers) {
      try {
        w.run();
      } catch (RuntimeException e) {
        LOG.warn("channel {}: block watcher {} failed", channel, w, e);
      }
    }
  }

  Delivery subscribe(long from, BlockSource.Listener listener) {
    Delivery d = new Delivery(this, from, listener);
    if (subscribers.size() + watchers.size() >= emulator.maxSubscribers) {
      throw new IllegalStateException(
          "channel " + channel + " has the maximum of " + emulator.maxSubscribers + " subscribers");
    }
    subscribers.add(d);
    wake(d);
    return d;
  }

  void unsubscribe(Delivery d) {
    subscribers.remove(d);
  }

  private void wake(Delivery d) {
    if (d.scheduled.compareAndSet(false, true)) {
      emulator.scheduler.execute(() -> pump(d));
    }
  }

  /** Sends {@code d} up to {@link #REPLAY_CHUNK} blocks; runs on the scheduler. */
  private void pump(Delivery d) {
    d.scheduled.set(false);
    for (int sent = 0; sent < REPLAY_CHUNK && !d.isClosed() && d.next < log.height(); sent++) {
      Optional<Block> block;
      try {
        if (d.next < log.oldest()) {
          fail(
              d,
              new IllegalStateException(
                  "block "
                      + d.next
                      + " of channel "
                      + channel
                      + " is no longer held; the oldest is "
                      + log.oldest()));
          return;
        }
        block = log.get(d.next);
      } catch (LedgerException | RuntimeException e) {
        fail(d, e);
        return;
      }
      if (block.isEmpty()) {
        return;
      }
      try {
        d.listener.onBlock(block.get());
      } catch (RuntimeException e) {
        LOG.warn(
            "channel {}: deliver listener {} failed on block {}; closing it",
            channel,
            d.listener,
            d.next,
            e);
        d.close();
        return;
      }
      d.next++;
      blocksSent.increment();
    }
    if (!d.isClosed() && d.next < log.height()) {
      wake(d);
    }
  }

  private void fail(Delivery d, Throwable cause) {
    d.close();
    try {
      d.listener.onFailure(cause, 0);
    } catch (RuntimeException e) {
      LOG.warn("channel {}: deliver listener {} failed", channel, d.listener, e);
    }
  }

  /** Stops the timer and closes the log; subscribers get nothing more. */
  void close() {
    if (batchTimer != null) {
      batchTimer.cancel();
    }
    for (Delivery d : subscribers) {
      d.close();
    }
    notifyWatchers();
    try {
      log.close();
    } catch (LedgerException e) {
      LOG.warn("channel {}: closing the block log failed", channel, e);
    }
  }
}
