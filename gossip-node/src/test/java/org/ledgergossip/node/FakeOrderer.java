package org.ledgergossip.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockSigner;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.orderer.BlockSource;

/**
 * An ordering service for node tests: one channel's chain of orderer-signed, hash-chained blocks in
 * Fabric's format, grown on demand, and a block source per peer that delivers the chain from a
 * height on, one block every {@value #PERIOD_MILLIS} ms on the scheduler given (virtual time or
 * real). A peer's source can be {@linkplain #breakFor broken}: it then reports a failure every 100
 * ms and delivers nothing.
 */
final class FakeOrderer {

  static final long PERIOD_MILLIS = 5;

  private final String channel;
  private final Msp orderer;
  private final Scheduler time;
  private final BlockSigner signer;
  private final List<Block> chain = new ArrayList<>();
  private final Set<String> broken = ConcurrentHashMap.newKeySet();

  /** Subscriptions opened, by peer name, for the tests to count. */
  final List<String> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeOrderer(String channel, Msp orderer, Scheduler time) {
    this.channel = channel;
    this.orderer = orderer;
    this.time = time;
    this.signer = new BlockSigner(orderer, new Random(7));
  }

  /** Cuts {@code count} more blocks. */
  synchronized void cut(int count) {
    for (int i = 0; i < count; i++) {
      int n = chain.size();
      Bytes previous = n == 0 ? Bytes.EMPTY : BlockFormat.headerHash(chain.get(n - 1));
      Bytes tx =
          ChannelEnvelopes.create(
              channel,
              ChannelEnvelopes.Type.MESSAGE,
              time.clock().instant(),
              Bytes.copyOf(("tx-" + n).getBytes(StandardCharsets.UTF_8)),
              orderer,
              new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16)});
      chain.add(signer.sign(BlockFormat.newBlock(n, previous, List.of(tx)), 0));
    }
  }

  synchronized long height() {
    return chain.size();
  }

  synchronized Block block(long n) {
    return chain.get((int) n);
  }

  /** Makes {@code peer}'s source fail (true) or work again (false). */
  void breakFor(String peer, boolean broken) {
    if (broken) {
      this.broken.add(peer);
    } else {
      this.broken.remove(peer);
    }
  }

  /** The block source of {@code peer}. */
  BlockSource source(String peer) {
    return new BlockSource() {
      @Override
      public Subscription subscribe(String ch, long fromHeight, Listener listener) {
        subscriptions.add(peer);
        long[] next = {fromHeight};
        long[] failingSince = {-1};
        Cancellable task =
            time.scheduleAtFixedRate(
                () -> {
                  if (broken.contains(peer)) {
                    long now = time.clock().nanoTime();
                    if (failingSince[0] < 0) {
                      failingSince[0] = now;
                    }
                    if ((now / 1_000_000) % 100 < PERIOD_MILLIS) {
                      listener.onFailure(
                          new IllegalStateException("orderer unreachable"),
                          (now - failingSince[0]) / 1_000_000);
                    }
                    return;
                  }
                  failingSince[0] = -1;
                  Block b;
                  synchronized (FakeOrderer.this) {
                    if (next[0] >= chain.size()) {
                      return;
                    }
                    b = chain.get((int) next[0]);
                  }
                  next[0]++;
                  listener.onBlock(b);
                },
                Duration.ofMillis(PERIOD_MILLIS),
                Duration.ofMillis(PERIOD_MILLIS));
        return task::cancel;
      }

      @Override
      public void close() {}
    };
  }
}
