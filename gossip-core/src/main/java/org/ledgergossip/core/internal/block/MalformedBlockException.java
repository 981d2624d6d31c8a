package org.ledgergossip.core.internal.block;

/** Bytes or a protobuf message that cannot be read as a block; the message says why. */
public final class MalformedBlockException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public MalformedBlockException(String message) {
    super(message);
  }

  /** An exception with {@code message} and its {@code cause}. */
  public MalformedBlockException(String message, Throwable cause) {
    super(message, cause);
  }
}
