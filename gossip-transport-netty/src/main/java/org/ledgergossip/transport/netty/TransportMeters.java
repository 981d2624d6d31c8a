package org.ledgergossip.transport.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The meters of one netty transport, registered on its options' registry. Thread-safe. */
final class TransportMeters {

  static final String SENT = "gossip_comm_messages_sent";
  static final String RECEIVED = "gossip_comm_messages_received";
  static final String OVERFLOW = "gossip_comm_overflow_count";
  static final String HANDSHAKE_FAILURES = "gossip_comm_handshake_failures_total";

  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter received;
  private final Counter overflow;

  TransportMeters(MeterRegistry registry) {
    this.registry = registry;
    this.sent = Counter.builder(SENT).description("Frames accepted for sending").register(registry);
    this.received =
        Counter.builder(RECEIVED).description("Frames delivered to a handler").register(registry);
    this.overflow =
        Counter.builder(OVERFLOW)
            .description("Frames dropped because a send queue was full")
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

  void handshakeFailed(String reason) {
    Counter.builder(HANDSHAKE_FAILURES)
        .description("Accepted connections closed because their TLS handshake failed")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
