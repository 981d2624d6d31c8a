package org.ledgergossip.transport.netty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.ledgergossip.spi.transport.TransportMetrics;

/** The meters of one netty transport, registered on its options' registry. Thread-safe. */
final class TransportMeters {

  static final String HANDSHAKE_FAILURES = "gossip_comm_handshake_failures_total";

  private final TransportMetrics common;
  private final MeterRegistry registry;

  TransportMeters(MeterRegistry registry) {
    this.common = new TransportMetrics(registry);
    this.registry = registry;
  }

  void sent() {
    common.sent();
  }

  void received() {
    common.received();
  }

  void overflow() {
    common.overflow();
  }

  void handshakeFailed(String reason) {
    Counter.builder(HANDSHAKE_FAILURES)
        .description("Accepted connections closed because their TLS handshake failed")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
