package org.ledgergossip.transport.inmemory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.ledgergossip.spi.transport.TransportMetrics;

/** The counters of one in-memory transport, registered on its options' registry. Thread-safe. */
final class TransportMeters {

  static final String LOST = "inmemory_frames_lost_total";

  private final TransportMetrics common;
  private final Counter lostToDrop;
  private final Counter lostToPartition;

  TransportMeters(MeterRegistry registry) {
    this.common = new TransportMetrics(registry);
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
    common.sent();
  }

  void received() {
    common.received();
  }

  void overflow() {
    common.overflow();
  }

  void lost(String reason) {
    (Faults.LostReason.PARTITION.equals(reason) ? lostToPartition : lostToDrop).increment();
  }
}
