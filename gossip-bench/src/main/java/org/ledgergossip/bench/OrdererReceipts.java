package org.ledgergossip.bench;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.spi.orderer.BlockSource;

/**
 * When each block first reached a peer from the ordering service, stamped where the peer's block
 * source hands it (verified) to the leader's pull: the "leader's receipt" of BENCHMARKS.md. Also
 * the first receipt of every peer after a moment, for the failover scenario. Thread-safe: sources
 * call it on the ordering service's thread.
 */
final class OrdererReceipts {

  /** A receipt: {@code peer} got block {@code number} at {@code nanos}. */
  record Receipt(int peer, long number, long nanos) {}

  /** Receipts remembered per peer at most (further ones are only counted). */
  static final int MAX_PER_PEER = 1_000_000;

  @GuardedBy("this")
  private final Map<Long, Long> first = new HashMap<>();

  @GuardedBy("this")
  private final Map<Integer, Long> counts = new HashMap<>();

  @GuardedBy("this")
  private final Map<Integer, ArrayList<Receipt>> byPeer = new HashMap<>();

  synchronized void record(int peer, long number, long nanos) {
    first.putIfAbsent(number, nanos);
    long count = counts.merge(peer, 1L, Long::sum);
    if (count <= MAX_PER_PEER) {
      byPeer.computeIfAbsent(peer, p -> new ArrayList<>()).add(new Receipt(peer, number, nanos));
    }
  }

  /** When block {@code number} first reached any peer from the ordering service. */
  synchronized OptionalLong first(long number) {
    Long at = first.get(number);
    return at == null ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** Blocks {@code peer} received from the ordering service. */
  synchronized long count(int peer) {
    return counts.getOrDefault(peer, 0L);
  }

  /** The earliest receipt at or after {@code sinceNanos} by a peer other than {@code excluded}. */
  synchronized Optional<Receipt> firstSince(long sinceNanos, int excluded) {
    @Nullable Receipt best = null;
    for (Map.Entry<Integer, ArrayList<Receipt>> e : byPeer.entrySet()) {
      if (e.getKey() == excluded) {
        continue;
      }
      for (Receipt r : e.getValue()) {
        if (r.nanos() >= sinceNanos && (best == null || r.nanos() < best.nanos())) {
          best = r;
          break; // a peer's receipts are in time order
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The first receipt of {@code peer} at or after {@code sinceNanos}. */
  synchronized Optional<Receipt> firstOf(int peer, long sinceNanos) {
    for (Receipt r : byPeer.getOrDefault(peer, new ArrayList<>())) {
      if (r.nanos() >= sinceNanos) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** {@code delegate}, its verified blocks stamped here as received by {@code peer}. */
  BlockSource stamping(BlockSource delegate, int peer, Clock clock) {
    requireNonNull(delegate, "delegate");
    requireNonNull(clock, "clock");
    return new BlockSource() {
      @Override
      public Subscription subscribe(String channel, long fromHeight, Listener listener) {
        return delegate.subscribe(
            channel,
            fromHeight,
            new Listener() {
              @Override
              public void onBlock(Block block) {
                record(peer, block.number(), clock.nanoTime());
                listener.onBlock(block);
              }

              @Override
              public void onFailure(Throwable cause, long failingFor) {
                listener.onFailure(cause, failingFor);
              }
            });
      }

      @Override
      public void close() {
        delegate.close();
      }

      @Override
      public String toString() {
        return "Stamped[" + delegate + "]";
      }
    };
  }
}
