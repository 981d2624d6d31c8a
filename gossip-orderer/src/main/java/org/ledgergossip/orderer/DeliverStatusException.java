package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import org.ledgergossip.api.Endpoint;

/**
 * The ordering service ended a deliver stream with a status instead of more blocks (Fabric's {@code
 * common.Status}: 404 unknown channel or block, 403 forbidden, 400 bad request, 503 unavailable,
 * ...); given to {@link org.ledgergossip.spi.orderer.BlockSource.Listener#onFailure}. Immutable.
 */
public final class DeliverStatusException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Fabric's status code, e.g. 404. */
  private final int status;

  /** The status code's name, e.g. {@code NOT_FOUND}. */
  private final String statusName;

  /**
   * @param orderer the orderer that answered
   * @param channel the channel requested
   * @param status Fabric's status code
   * @param statusName the code's name ({@code NOT_FOUND}, ...)
   */
  public DeliverStatusException(Endpoint orderer, String channel, int status, String statusName) {
    super(
        "orderer "
            + requireNonNull(orderer, "orderer")
            + " answered the deliver request for channel "
            + requireNonNull(channel, "channel")
            + " with status "
            + status
            + " "
            + requireNonNull(statusName, "statusName"));
    this.status = status;
    this.statusName = statusName;
  }

  /** Fabric's status code, e.g. 404. */
  public int status() {
    return status;
  }

  /** The status code's name, e.g. {@code NOT_FOUND}. */
  public String statusName() {
    return statusName;
  }
}
