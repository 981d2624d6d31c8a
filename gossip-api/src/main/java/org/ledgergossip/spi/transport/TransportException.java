package org.ledgergossip.spi.transport;

import org.ledgergossip.api.Endpoint;

/** A transport operation failed: bind, dial, TLS handshake, oversize or malformed frame. */
public class TransportException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed and why, naming the endpoint
   */
  public TransportException(String message) {
    super(message);
  }

  /**
   * @param message what failed and why, naming the endpoint
   * @param cause the underlying failure
   */
  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A dial to {@code endpoint} that nobody accepted: {@code "connection refused"}, timeouts. */
  public static TransportException dialFailed(Endpoint endpoint, String reason) {
    return new TransportException("dial " + endpoint + " failed: " + reason);
  }
}
