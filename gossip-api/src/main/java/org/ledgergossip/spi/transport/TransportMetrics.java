package org.ledgergossip.spi.transport;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters every transport keeps, under Fabric's names, so that dashboards work whatever the
 * transport: {@value #SENT}, {@value #RECEIVED} and {@value #OVERFLOW}. A transport creates one on
 * {@link TransportOptions#meterRegistry()} and counts through it. Thread-safe.
 */
public final class TransportMetrics {

  /** Frames accepted for sending ({@code gossip_comm_messages_sent}). */
  public static final String SENT = "gossip_comm_messages_sent";

  /** Frames delivered to a handler ({@code gossip_comm_messages_received}). */
  public static final String RECEIVED = "gossip_comm_messages_received";

  /** Frames dropped because a send queue was full ({@code gossip_comm_overflow_count}). */
  public static final String OVERFLOW = "gossip_comm_overflow_count";

  private final Counter sent;
  private final Counter received;
  private final Counter overflow;

  /** Registers (or finds) the meters on {@code registry}. */
  public TransportMetrics(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    this.sent = Counter.builder(SENT).description("Frames accepted for sending").register(registry);
    this.received =
        Counter.builder(RECEIVED).description("Frames delivered to a handler").register(registry);
    this.overflow =
        Counter.builder(OVERFLOW)
            .description("Frames dropped because a send queue was full")
            .register(registry);
  }

  /** Counts a frame accepted for sending. */
  public void sent() {
    sent.increment();
  }

  /** Counts a frame delivered to a handler. */
  public void received() {
    received.increment();
  }

  /** Counts a frame dropped on a full send queue. */
  public void overflow() {
    overflow.increment();
  }
}
