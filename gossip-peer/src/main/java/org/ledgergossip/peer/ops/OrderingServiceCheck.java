package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.node.ChannelStatus;
import org.ledgergossip.node.GossipNode;

/**
 * The sampling check of {@link HealthChecks#orderingService}. Thread-safe: samples are serialised.
 */
final class OrderingServiceCheck implements HealthCheck {

  /** The node's counter of failed deliveries from the ordering service, tagged {@code channel}. */
  static final String FAILURES = "gossip_orderer_pull_failures_total";

  private final GossipNode node;
  private final Clock clock;
  private final Duration threshold;

  @GuardedBy("this")
  private final Map<String, Streak> streaks = new HashMap<>();

  /** What the last sample of one channel saw. */
  private static final class Streak {
    double failures;
    long fromOrderer;
    @Nullable Instant firstFailure;
    @Nullable Instant lastFailure;
  }

  OrderingServiceCheck(GossipNode node, Clock clock, Duration threshold) {
    this.node = requireNonNull(node, "node");
    this.clock = requireNonNull(clock, "clock");
    this.threshold = requireNonNull(threshold, "threshold");
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("threshold must be positive");
    }
  }

  @Override
  public String component() {
    return HealthChecks.ORDERER;
  }

  @Override
  public synchronized Optional<String> check() {
    if (!node.isRunning()) {
      streaks.clear();
      return Optional.empty();
    }
    Instant now = clock.instant();
    StringJoiner failing = new StringJoiner("; ");
    for (ChannelStatus status : node.statuses()) {
      String channel = status.name();
      Counter counter = node.meterRegistry().find(FAILURES).tag("channel", channel).counter();
      double failures = counter == null ? 0 : counter.count();
      long fromOrderer = status.blocks().getOrDefault("orderer", 0L);
      Streak s = streaks.get(channel);
      if (!status.isLeader()) {
        streaks.remove(channel);
        continue;
      }
      if (s == null) {
        s = new Streak();
        s.failures = failures;
        s.fromOrderer = fromOrderer;
        streaks.put(channel, s);
        continue;
      }
      if (fromOrderer > s.fromOrderer) {
        s.firstFailure = null;
        s.lastFailure = null;
      } else if (failures > s.failures) {
        if (s.firstFailure == null) {
          s.firstFailure = now;
        }
        s.lastFailure = now;
      } else if (s.lastFailure != null
          && Duration.between(s.lastFailure, now).compareTo(threshold) >= 0) {
        s.firstFailure = null;
        s.lastFailure = null;
      }
      s.failures = failures;
      s.fromOrderer = fromOrderer;
      if (s.firstFailure != null) {
        Duration streak = Duration.between(s.firstFailure, now);
        if (streak.compareTo(threshold) >= 0) {
          failing.add(
              "channel "
                  + channel
                  + ": the ordering service has been failing for "
                  + streak.toSeconds()
                  + " s ("
                  + (long) failures
                  + " failures)");
        }
      }
    }
    streaks.keySet().retainAll(node.channels());
    return failing.length() == 0 ? Optional.empty() : Optional.of(failing.toString());
  }

  @Override
  public String toString() {
    return "OrderingServiceCheck[threshold " + threshold + "]";
  }
}
