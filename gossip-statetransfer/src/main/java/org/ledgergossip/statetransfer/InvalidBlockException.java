package org.ledgergossip.statetransfer;

/**
 * A block failed verification: its message says which block and why (bad orderer signature, data
 * hash mismatch, wrong channel, ...).
 */
public final class InvalidBlockException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * A failure described by {@code message}.
   *
   * @param message which block and why it was refused
   */
  public InvalidBlockException(String message) {
    super(message);
  }

  /**
   * A failure described by {@code message}, caused by {@code cause}.
   *
   * @param message which block and why it was refused
   * @param cause the underlying failure
   */
  public InvalidBlockException(String message, Throwable cause) {
    super(message, cause);
  }
}
