package org.ledgergossip.orderer;

/**
 * The answer to a broadcast envelope, with the HTTP-like codes of Fabric's {@code common.Status}
 * that {@code AtomicBroadcast.Broadcast} returns.
 */
public enum BroadcastStatus {
  /** Accepted for ordering (200). */
  SUCCESS(200),
  /** Not an envelope of the channel, or too large (400). */
  BAD_REQUEST(400),
  /** No such channel (404). */
  NOT_FOUND(404),
  /**
   * The channel's queue of envelopes waiting to be cut is full, or the emulator is closed (503).
   */
  SERVICE_UNAVAILABLE(503);

  private final int code;

  BroadcastStatus(int code) {
    this.code = code;
  }

  /** Fabric's status code. */
  public int code() {
    return code;
  }
}
