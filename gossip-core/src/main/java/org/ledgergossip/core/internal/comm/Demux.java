package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of a {@link Comm}: message handlers chosen by a filter (Fabric's {@code
 * demux.go}: every matching subscriber gets the message) and connection event listeners.
 *
 * <p>Thread-safe: the lists are copy-on-write, so dispatch takes no lock and (un)subscribing is
 * rare. Calls run on the caller's thread. A subscriber that throws is logged (at warning level the
 * first time, then at debug) and the others still get the message. After {@link #stop()} no call
 * starts.
 */
final class Demux {

  private static final Logger log = LoggerFactory.getLogger(Demux.class);

  private final List<Sub<ReceivedMessage>> messageSubs = new CopyOnWriteArrayList<>();
  private final List<Sub<ConnectionEvent>> eventSubs = new CopyOnWriteArrayList<>();
  private final Map<ContentCase, Counter> unhandled = new EnumMap<>(ContentCase.class);
  private volatile boolean stopped;

  Demux(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    for (ContentCase kind : ContentCase.values()) {
      unhandled.put(
          kind,
          Counter.builder(Comm.UNHANDLED_COUNTER)
              .description("Received gossip messages no subscriber wanted, by kind")
              .tag("kind", kind.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
  }

  Subscription subscribe(Predicate<ReceivedMessage> filter, Consumer<ReceivedMessage> handler) {
    Sub<ReceivedMessage> sub = new Sub<>(messageSubs, filter, handler);
    messageSubs.add(sub);
    return sub;
  }

  Subscription subscribeConnections(Consumer<ConnectionEvent> listener) {
    Sub<ConnectionEvent> sub = new Sub<>(eventSubs, e -> true, listener);
    eventSubs.add(sub);
    return sub;
  }

  /** Hands {@code message} to every matching subscriber; counts it if there is none. */
  void dispatch(ReceivedMessage message) {
    if (!deliver(messageSubs, message) && !stopped) {
      requireNonNull(unhandled.get(message.contentCase()), "counter").increment();
      log.debug("no subscriber for {}: dropped", message);
    }
  }

  void publish(ConnectionEvent event) {
    deliver(eventSubs, event);
  }

  void stop() {
    stopped = true;
  }

  private <T> boolean deliver(List<Sub<T>> subs, T item) {
    boolean delivered = false;
    for (Sub<T> sub : subs) {
      if (stopped) {
        return delivered;
      }
      delivered |= sub.offer(item);
    }
    return delivered;
  }

  /** One subscription; removes itself from its list on close. */
  private static final class Sub<T> implements Subscription {
    private final List<Sub<T>> owner;
    private final Predicate<? super T> filter;
    private final Consumer<? super T> handler;
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile boolean closed;

    Sub(List<Sub<T>> owner, Predicate<? super T> filter, Consumer<? super T> handler) {
      this.owner = owner;
      this.filter = requireNonNull(filter, "filter");
      this.handler = requireNonNull(handler, "handler");
    }

    /** True if the filter accepted {@code item} (whether or not the handler then failed). */
    boolean offer(T item) {
      if (closed) {
        return false;
      }
      try {
        if (!filter.test(item)) {
          return false;
        }
      } catch (RuntimeException e) {
        failed("filter", item, e);
        return false;
      }
      try {
        handler.accept(item);
      } catch (RuntimeException e) {
        failed("handler", item, e);
      }
      return true;
    }

    private void failed(String what, T item, RuntimeException e) {
      if (warned.compareAndSet(false, true)) {
        log.warn(
            "subscriber {} {} failed on {} (further failures at debug)", handler, what, item, e);
      } else {
        log.debug("subscriber {} {} failed on {}", handler, what, item, e);
      }
    }

    @Override
    public void close() {
      closed = true;
      owner.remove(this);
    }
  }
}
