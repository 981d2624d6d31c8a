package org.ledgergossip.transport.inmemory;

import static java.util.Objects.requireNonNull;

import org.ledgergossip.api.Endpoint;

/**
 * Something that happened on an {@link InMemoryNetwork}, as reported to the observers registered
 * with {@link InMemoryNetwork#events}. Two runs of a network on a {@link VirtualScheduler} with the
 * same seed and the same inputs report equal lists of events. Immutable, hence thread-safe; no
 * component is null (invalid ones throw {@link NullPointerException} or {@link
 * IllegalArgumentException}).
 *
 * @param type what happened
 * @param from the endpoint the frame, dial or close came from: the dialler's, sender's or closer's
 *     local endpoint
 * @param to the other endpoint of the connection or dial
 * @param size the frame's length in bytes for {@link Type#DELIVERED} and {@link Type#DROPPED}, else
 *     0
 * @param virtualNanos the network scheduler's {@link org.ledgergossip.api.time.Clock#nanoTime()}
 *     when it happened
 * @param reason why, for {@link Type#DROPPED} ({@code drop}, {@code partition}, {@code queue-full},
 *     {@code too-large}), {@link Type#CLOSED} and {@link Type#DIAL_FAILED}; empty otherwise
 */
public record NetworkEvent(
    Type type, Endpoint from, Endpoint to, int size, long virtualNanos, String reason) {

  /** The kinds of {@link NetworkEvent}. */
  public enum Type {
    /** A dial succeeded: {@code from} is the dialler, {@code to} the accepting endpoint. */
    CONNECTED,
    /** A frame was handed to the receiving handler. */
    DELIVERED,
    /** A frame was lost (fault injection) or refused (full send queue, too large for receiver). */
    DROPPED,
    /** A connection closed: {@code from} is the side that closed it (or the killed endpoint). */
    CLOSED,
    /** A dial failed: refused, timed out, TLS handshake failed, or the dialler closed. */
    DIAL_FAILED
  }

  /**
   * Validates the components.
   *
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public NetworkEvent {
    requireNonNull(type, "type");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    requireNonNull(reason, "reason");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, was " + size);
    }
  }
}
