package org.ledgergossip.spi.transport;

/** What {@link Connection#send} did with a frame. */
public enum SendResult {
  /** Queued for sending; it will be written unless the connection closes first. */
  QUEUED,
  /**
   * The connection's send queue ({@link TransportOptions#sendQueueSize()}) is full: dropped and
   * counted.
   */
  QUEUE_FULL,
  /** The frame is larger than {@link TransportOptions#maxFrameSize()}: not sent. */
  TOO_LARGE,
  /** The connection is closed: not sent. */
  CLOSED
}
