package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of channel messages a {@link GossipChannel} refused, one per {@link Reason} in
 * {@value GossipChannels#REJECTED_COUNTER}{@code {reason}}; the first refusal of each reason is
 * logged at warning level, later ones at debug. Shared by the channels of one peer; thread-safe.
 */
final class ChannelRejections {

  private static final Logger log = LoggerFactory.getLogger(GossipChannel.class);

  /** Why a channel refused a message. */
  enum Reason {
    /** The sender (by its handshake) belongs to an organisation outside the channel. */
    SENDER_NOT_IN_CHANNEL,
    /** A state info without PKI-ID or timestamp, or a snapshot element that does not decode. */
    MALFORMED,
    /** A state info whose MAC is not the channel's for its PKI-ID (in a snapshot). */
    WRONG_MAC,
    /** No identity is known for the peer a state info speaks for. */
    UNKNOWN_IDENTITY,
    /** The peer a state info speaks for belongs to an organisation outside the channel. */
    ORG_NOT_IN_CHANNEL,
    /** The state info's signature is not valid for the identity of its peer. */
    BAD_SIGNATURE,
    /** A channel message of a kind nobody handles yet (blocks, leadership, ...). */
    UNHANDLED;

    String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ImmutableMap<Reason, Counter> counters;
  private final Set<Reason> warned = ConcurrentHashMap.newKeySet();

  ChannelRejections(MeterRegistry registry) {
    Map<Reason, Counter> map = new EnumMap<>(Reason.class);
    for (Reason reason : Reason.values()) {
      map.put(
          reason,
          Counter.builder(GossipChannels.REJECTED_COUNTER)
              .description("Channel messages refused by the channel, by reason")
              .tag("reason", reason.metricTag())
              .register(registry));
    }
    this.counters = ImmutableMap.copyOf(map);
  }

  /** Counts a refusal and logs it ({@code detail} names the channel and the peer). */
  void reject(Reason reason, String detail) {
    requireNonNull(counters.get(reason), "counter").increment();
    if (warned.add(reason)) {
      log.warn(
          "Refused a channel message ({}): {}; further refusals of this kind are counted in {} and"
              + " logged at debug",
          reason.metricTag(),
          detail,
          GossipChannels.REJECTED_COUNTER);
    } else {
      log.debug("Refused a channel message ({}): {}", reason.metricTag(), detail);
    }
  }
}
