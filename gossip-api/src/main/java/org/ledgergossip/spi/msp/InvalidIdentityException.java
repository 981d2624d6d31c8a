package org.ledgergossip.spi.msp;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * An identity was rejected, or MSP material could not be read; the message says why (unknown MSP,
 * expired at T, revoked (serial S), not signed by a CA of 'X', which file), and {@link #reason()}
 * classifies it so that callers can count rejections by kind.
 */
public class InvalidIdentityException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The kinds of rejection. */
  public enum Reason {
    /** Not a {@code SerializedIdentity}, not a certificate, or an unsupported key type. */
    MALFORMED,
    /** The MSP id is not one of the trusted organisations. */
    UNKNOWN_MSP,
    /** The certificate does not chain to the organisation's CAs (or is a CA itself). */
    UNTRUSTED,
    /** The certificate (or a certificate of its chain) has expired. */
    EXPIRED,
    /** The certificate is not valid yet. */
    NOT_YET_VALID,
    /** The certificate (or a CA of its chain) is revoked by a CRL of its organisation. */
    REVOKED,
    /** Local MSP material (a file or folder) is missing or unreadable. */
    MATERIAL,
    /** Anything else. */
    OTHER;

    /** The lower-case name, for metric tags. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The kind of rejection; never null. */
  private final Reason reason;

  /**
   * Creates an exception of kind {@link Reason#OTHER}.
   *
   * @param message why the identity was rejected
   */
  public InvalidIdentityException(String message) {
    this(Reason.OTHER, message);
  }

  /**
   * Creates an exception of kind {@link Reason#OTHER}.
   *
   * @param message why the identity was rejected
   * @param cause the underlying failure
   */
  public InvalidIdentityException(String message, Throwable cause) {
    this(Reason.OTHER, message, cause);
  }

  /**
   * Creates an exception of the given kind.
   *
   * @param reason the kind of rejection
   * @param message why, naming the identity or file
   */
  public InvalidIdentityException(Reason reason, String message) {
    super(message);
    this.reason = requireNonNull(reason, "reason");
  }

  /**
   * Creates an exception of the given kind.
   *
   * @param reason the kind of rejection
   * @param message why, naming the identity or file
   * @param cause the underlying failure
   */
  public InvalidIdentityException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = requireNonNull(reason, "reason");
  }

  /** The kind of rejection. */
  public Reason reason() {
    return reason;
  }
}
