package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ledgergossip.api.MembershipEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers membership events to listeners one at a time, in the order they were {@linkplain
 * #enqueue enqueued}, outside the caller's locks.
 *
 * <p>{@link #enqueue} may be called under the caller's lock (this class takes only its own lock and
 * never calls out while holding it); {@link #deliver} must be called with no lock held. The thread
 * that finds no delivery in progress delivers everything queued, including events enqueued
 * meanwhile by other threads or by the listeners themselves. The queue holds at most {@code
 * capacity} events; beyond that, events are dropped and counted.
 */
final class EventDispatcher {

  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final int capacity;
  private final Counter dropped;
  private final List<Consumer<MembershipEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();

  @GuardedBy("lock")
  private final ArrayDeque<MembershipEvent> pending = new ArrayDeque<>();

  @GuardedBy("lock")
  private boolean delivering;

  EventDispatcher(int capacity, Counter dropped) {
    this.capacity = capacity;
    this.dropped = requireNonNull(dropped, "dropped");
  }

  Runnable addListener(Consumer<MembershipEvent> listener) {
    listeners.add(requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  void enqueue(MembershipEvent event) {
    synchronized (lock) {
      if (pending.size() < capacity) {
        pending.add(event);
        return;
      }
    }
    dropped.increment();
    log.warn("Membership listeners fell behind: dropped {}", event);
  }

  void deliver() {
    synchronized (lock) {
      if (delivering) {
        return;
      }
      delivering = true;
    }
    boolean drained = false;
    try {
      while (true) {
        MembershipEvent event;
        synchronized (lock) {
          event = pending.poll();
          if (event == null) {
            delivering = false;
            drained = true;
            return;
          }
        }
        for (Consumer<MembershipEvent> listener : listeners) {
          try {
            listener.accept(event);
          } catch (RuntimeException e) {
            log.warn("Membership listener {} failed on {}", listener, event, e);
          }
        }
      }
    } finally {
      if (!drained) {
        synchronized (lock) {
          delivering = false;
        }
      }
    }
  }
}
