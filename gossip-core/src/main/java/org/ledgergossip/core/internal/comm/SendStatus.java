package org.ledgergossip.core.internal.comm;

import java.util.Locale;
import org.ledgergossip.spi.transport.SendResult;

/**
 * What {@link Comm#send} did with a frame for one peer: the transport's {@link SendResult}, plus
 * {@link #NOT_CONNECTED} for a peer without an open authenticated connection.
 *
 * <p>Every value but {@link #QUEUED} is a failure counted in {@value Comm#SEND_FAILURES_COUNTER}
 * under the tag {@code reason=}{@link #metricTag()}.
 */
public enum SendStatus {
  /** Queued on the peer's connection; it will be written unless the connection closes first. */
  QUEUED,
  /** No open authenticated connection to the peer: not sent. */
  NOT_CONNECTED,
  /** The connection's send queue is full: dropped (the transport counts it as overflow too). */
  QUEUE_FULL,
  /** The frame is larger than the transport's maximum frame size: not sent. */
  TOO_LARGE,
  /** The connection closed between the look-up and the send: not sent. */
  CLOSED;

  /** The lower-case name, the {@code reason} tag of the send failure counter. */
  public String metricTag() {
    return name().toLowerCase(Locale.ROOT);
  }

  static SendStatus of(SendResult result) {
    return switch (result) {
      case QUEUED -> QUEUED;
      case QUEUE_FULL -> QUEUE_FULL;
      case TOO_LARGE -> TOO_LARGE;
      case CLOSED -> CLOSED;
    };
  }
}
