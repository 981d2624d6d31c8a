package org.ledgergossip.spi.ledger;

/** A ledger could not be opened, read or written; the message names the file and offset. */
public class LedgerException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, naming the file
   */
  public LedgerException(String message) {
    super(message);
  }

  /**
   * @param message what failed, naming the file
   * @param cause the underlying failure
   */
  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
