package org.ledgergossip.statetransfer;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The meters of one channel's state transfer, every one tagged {@code channel}; see {@link
 * StateTransfer} for the list. Thread-safe.
 */
final class StateMetrics {

  /** How a block reached this peer. */
  enum Via {
    PUSH,
    PULL,
    STATE_TRANSFER,
    ORDERER;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why a block, a state request or a state response was dropped. */
  enum Drop {
    /** The validator refused the block. */
    INVALID_BLOCK,
    /** The message's block could not be decoded, or its number is not the one announced. */
    MALFORMED,
    /** A block from a peer of another organisation (blocks never leave their organisation). */
    FOREIGN_ORG,
    /** A gossiped block beyond the payload buffer's window. */
    BEYOND_BUFFER,
    /** A state request from a peer that is not a member of the channel. */
    NOT_MEMBER,
    /** A state request with start after end. */
    BAD_RANGE,
    /** A state response we did not ask for (unknown nonce, wrong peer, late). */
    UNEXPECTED_RESPONSE,
    /** A block of a state response outside the requested range. */
    OUT_OF_RANGE,
    /** A block whose previous hash is not the header hash of the block before it. */
    BROKEN_CHAIN,
    /** The ledger refused to append a block or to read blocks. */
    LEDGER_FAILURE;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ImmutableMap<Via, Counter> received;
  private final ImmutableMap<Drop, Counter> dropped;
  private final Counter committed;
  private final Counter requestsSent;
  private final Counter requestTimeouts;
  private final Timer commitDuration;
  private final Set<Drop> warned = ConcurrentHashMap.newKeySet();

  StateMetrics(
      MeterRegistry registry, String channel, Supplier<Number> height, Supplier<Number> buffered) {
    requireNonNull(registry, "registry");
    Map<Via, Counter> r = new EnumMap<>(Via.class);
    for (Via via : Via.values()) {
      r.put(
          via,
          Counter.builder(StateTransfer.RECEIVED_COUNTER)
              .description("Blocks taken into the payload buffer, by the way they arrived")
              .tag("channel", channel)
              .tag("via", via.tag())
              .register(registry));
    }
    this.received = ImmutableMap.copyOf(r);
    Map<Drop, Counter> d = new EnumMap<>(Drop.class);
    for (Drop drop : Drop.values()) {
      d.put(
          drop,
          Counter.builder(StateTransfer.DROPPED_COUNTER)
              .description("Blocks and state messages dropped, by reason")
              .tag("channel", channel)
              .tag("reason", drop.tag())
              .register(registry));
    }
    this.dropped = ImmutableMap.copyOf(d);
    this.committed =
        Counter.builder(StateTransfer.COMMITTED_COUNTER)
            .description("Blocks committed to the ledger")
            .tag("channel", channel)
            .register(registry);
    this.requestsSent =
        Counter.builder(StateTransfer.REQUESTS_COUNTER)
            .description("Remote state requests sent")
            .tag("channel", channel)
            .register(registry);
    this.requestTimeouts =
        Counter.builder(StateTransfer.TIMEOUTS_COUNTER)
            .description("Remote state requests that got no response in time")
            .tag("channel", channel)
            .register(registry);
    this.commitDuration =
        Timer.builder(StateTransfer.COMMIT_DURATION)
            .description("Time to commit a block to the ledger")
            .tag("channel", channel)
            .register(registry);
    Gauge.builder(StateTransfer.HEIGHT_GAUGE, height)
        .description("Ledger height of the channel")
        .tag("channel", channel)
        .register(registry);
    Gauge.builder(StateTransfer.BUFFER_GAUGE, buffered)
        .description("Blocks held in the payload buffer")
        .tag("channel", channel)
        .register(registry);
  }

  void received(Via via) {
    requireNonNull(received.get(via), "counter").increment();
  }

  void committed() {
    committed.increment();
  }

  void requestSent() {
    requestsSent.increment();
  }

  void requestTimedOut() {
    requestTimeouts.increment();
  }

  Timer commitDuration() {
    return commitDuration;
  }

  /** Counts a drop, logging the first of each reason at warning level and the rest at debug. */
  void drop(Drop reason, Logger log, String detail) {
    requireNonNull(dropped.get(reason), "counter").increment();
    if (warned.add(reason)) {
      log.warn(
          "Dropped ({}): {}; further drops are counted in {} and logged at debug",
          reason.tag(),
          detail,
          StateTransfer.DROPPED_COUNTER);
    } else {
      log.debug("Dropped ({}): {}", reason.tag(), detail);
    }
  }
}
