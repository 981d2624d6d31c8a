package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ledgergossip.spi.orderer.BlockSource;

/**
 * One {@code deliver} subscriber of a channel: the next block number it is owed and its listener.
 * {@link #next} is touched only on the emulator's scheduler.
 */
final class Delivery implements BlockSource.Subscription {

  final BlockSource.Listener listener;
  final AtomicBoolean scheduled = new AtomicBoolean();
  private final ChannelChain chain;
  long next;
  private volatile boolean closed;

  Delivery(ChannelChain chain, long from, BlockSource.Listener listener) {
    this.chain = requireNonNull(chain, "chain");
    this.next = from;
    this.listener = requireNonNull(listener, "listener");
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      chain.unsubscribe(this);
    }
  }

  @Override
  public String toString() {
    return "Delivery[" + chain.channel + " from " + next + (closed ? ", closed]" : "]");
  }
}
