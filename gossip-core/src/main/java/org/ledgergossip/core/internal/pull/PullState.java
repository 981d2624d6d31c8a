package org.ledgergossip.core.internal.pull;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the initiator and the responder of one {@link PullEngine} share: the settings, the one lock,
 * the item set and the random generator it guards, the counters, and the checks on incoming lists.
 *
 * <p>Thread-safe: the item set and the random generator are touched only under {@link #lock}.
 */
final class PullState<P> {

  private static final Logger log = LoggerFactory.getLogger(PullEngine.class);

  final String instance;
  final PullAdapter<P> adapter;
  final Scheduler scheduler;
  final Clock clock;
  final Duration pullInterval;
  final Duration digestWaitTime;
  final long digestWaitNanos;
  final long requestWaitNanos;
  final long responseWaitNanos;
  final int maxItems;
  final int maxDigestsPerMessage;
  final int maxOutstandingNonces;
  final int maxItemLength;
  final Predicate<String> ingressFilter;
  final BiPredicate<P, String> egressFilter;
  final ItemsListener<P> listener;
  private final Map<IgnoreReason, Counter> ignored = new EnumMap<>(IgnoreReason.class);
  private final Counter refused;

  /** The engine's one lock. */
  final Object lock = new Object();

  @GuardedBy("lock")
  final RandomGenerator random;

  @GuardedBy("lock")
  final Set<String> items = new LinkedHashSet<>();

  /** Set once by {@link PullEngine#stop()}; from then on every incoming message is ignored. */
  @GuardedBy("lock")
  boolean stopped;

  PullState(PullEngine.Builder<P> b) {
    this.instance = b.instance;
    this.adapter = b.adapter;
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    this.clock = scheduler.clock();
    this.pullInterval = b.pullInterval;
    this.digestWaitTime = b.digestWaitTime;
    this.digestWaitNanos = b.digestWaitTime.toNanos();
    this.requestWaitNanos = b.requestWaitTime.toNanos();
    this.responseWaitNanos = b.responseWaitTime.toNanos();
    this.maxItems = b.maxItems;
    this.maxDigestsPerMessage = b.maxDigestsPerMessage;
    this.maxOutstandingNonces = b.maxOutstandingNonces;
    this.maxItemLength = b.maxItemLength;
    this.ingressFilter = b.ingressFilter;
    this.egressFilter = b.egressFilter;
    this.listener = b.listener;
    this.random = b.random != null ? b.random : RandomGenerator.getDefault();
    MeterRegistry registry = requireNonNull(b.meterRegistry, "meterRegistry");
    for (IgnoreReason reason : IgnoreReason.values()) {
      ignored.put(
          reason,
          Counter.builder(PullEngine.IGNORED_COUNTER)
              .description("Pull messages ignored, by reason")
              .tag("instance", instance)
              .tag("reason", reason.metricTag())
              .register(registry));
    }
    this.refused =
        Counter.builder(PullEngine.REFUSED_COUNTER)
            .description("Items refused because the pull engine's item set was full")
            .tag("instance", instance)
            .register(registry);
  }

  /** Adds {@code item} unless present; refuses and counts it when the set is full. */
  @GuardedBy("lock")
  boolean addLocked(String item) {
    if (items.contains(item)) {
      return false;
    }
    if (items.size() >= maxItems) {
      refused.increment();
      return false;
    }
    items.add(item);
    return true;
  }

  /**
   * A copy of {@code list} if it may be processed: non-null sender and list, at most {@code
   * maxDigestsPerMessage} items, each non-null, non-empty and at most {@code maxItemLength} long.
   * Otherwise null, and the message is counted as ignored.
   */
  @Nullable List<String> validated(@Nullable P from, @Nullable List<String> list, long nonce) {
    if (from == null || list == null) {
      ignore(IgnoreReason.MALFORMED, from, nonce);
      return null;
    }
    int size = list.size();
    if (size > maxDigestsPerMessage) {
      ignore(IgnoreReason.TOO_MANY_ITEMS, from, nonce);
      return null;
    }
    List<String> copy = new ArrayList<>(size);
    for (String item : list) {
      if (item == null || item.isEmpty() || item.length() > maxItemLength) {
        ignore(IgnoreReason.MALFORMED, from, nonce);
        return null;
      }
      copy.add(item);
    }
    return copy;
  }

  /**
   * The items of {@code candidates} the egress filter discloses to {@code to}; null if it threw.
   */
  @Nullable List<String> disclosed(P to, List<String> candidates, int offset, long nonce) {
    List<String> out = new ArrayList<>(Math.min(candidates.size(), maxDigestsPerMessage));
    int n = candidates.size();
    try {
      for (int i = 0; i < n && out.size() < maxDigestsPerMessage; i++) {
        String item = candidates.get((offset + i) % n);
        if (egressFilter.test(to, item)) {
          out.add(item);
        }
      }
    } catch (RuntimeException e) {
      log.warn("pull {}: the egress filter failed for {}", instance, to, e);
      ignore(IgnoreReason.FILTER_FAILED, to, nonce);
      return null;
    }
    return out;
  }

  /** Counts an ignored message. */
  void ignore(IgnoreReason reason, @Nullable P from, long nonce) {
    requireNonNull(ignored.get(reason), "counter").increment();
    log.debug("pull {}: ignored a message from {} (nonce {}): {}", instance, from, nonce, reason);
  }

  /** Runs one adapter call; a failure is logged, as a lost message. */
  void send(String what, P dest, Runnable sending) {
    try {
      sending.run();
    } catch (RuntimeException e) {
      log.warn("pull {}: sending a {} to {} failed", instance, what, dest, e);
    }
  }
}
