package org.ledgergossip.transport.inmemory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The counters of one in-memory transport, registered on its options' registry. Thread-safe. */
final class TransportMeters {

  static final String SENT = "gossip_comm_messages_sent";
  static final String RECEIVED = "gossip_comm_messages_received";
  static final String OVERFLOW = "gossip_comm_overflow_count";
  static final String LOST = "inmemory_frames_lost_total";

  private final Counter sent;
  private final Counter received;
  private final Counter overflow;
  private final Counter lostToDrop;
  private final Counter lostToPartition;

  TransportMeters(MeterRegistry registry) {
    this.sent = Counter.builder(SENT).description("Frames accepted for sending").register(registry);
    this.received =
        Counter.builder(RECEIVED).description("Frames delivered to a handler").register(registry);
    this.overflow =
        Counter.builder(OVERFLOW)
            .description("Frames dropped because a send queue was full")
            .register(registry);
    this.lostToDrop = lost(registry, Faults.LostReason.DROP);
    this.lostToPartition = lost(registry, Faults.LostReason.PARTITION);
  }

  private static Counter lost(MeterRegistry registry, String reason) {
    return Counter.builder(LOST)
        .description("Frames lost by the in-memory network's fault injection")
        .tag("reason", reason)
        .register(registry);
  }

  void sent() {
    sent.increment();
  }

  void received() {
    received.increment();
  }

  void overflow() {
    overflow.increment();
  }

  void lost(String reason) {
    (Faults.LostReason.PARTITION.equals(reason) ? lostToPartition : lostToDrop).increment();
  }
}
