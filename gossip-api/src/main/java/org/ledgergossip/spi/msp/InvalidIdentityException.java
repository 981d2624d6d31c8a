package org.ledgergossip.spi.msp;

/** An identity was rejected; the message says why (unknown MSP, expired, revoked, bad chain). */
public class InvalidIdentityException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param reason why the identity was rejected
   */
  public InvalidIdentityException(String reason) {
    super(reason);
  }

  /**
   * @param reason why the identity was rejected
   * @param cause the underlying failure
   */
  public InvalidIdentityException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
