package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** The remote side of a connection failed the gossip handshake; {@link #reason()} says how. */
public final class HandshakeException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a handshake was refused; each is counted under its own metric tag. */
  public enum Reason {
    /** No {@code ConnEstablish} within {@code connTimeout}. */
    TIMEOUT,
    /** The first frame did not decode, or was not a {@code ConnEstablish}. */
    WRONG_MESSAGE,
    /** The {@code ConnEstablish} had no PKI-ID. */
    NO_PKI_ID,
    /** The MSP refused the identity: unknown organisation, bad chain, malformed, not yet valid. */
    IDENTITY_REJECTED,
    /** The identity's certificate (or one of its CAs) has expired. */
    IDENTITY_EXPIRED,
    /** The identity's certificate (or one of its CAs) is revoked by its organisation's CRL. */
    IDENTITY_REVOKED,
    /** The PKI-ID sent is not the PKI-ID of the identity sent. */
    PKI_ID_MISMATCH,
    /** TLS binding is required but the connection carries no remote TLS certificate. */
    NO_TLS_CERTIFICATE,
    /** The TLS certificate hash sent is not the hash of the certificate seen on the connection. */
    TLS_BINDING_MISMATCH,
    /** The signature over the {@code ConnEstablish} does not verify with the identity sent. */
    BAD_SIGNATURE,
    /** The connection closed before the handshake completed. */
    CLOSED;

    /** The lower-case name, the {@code reason} tag of the rejection counter. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why the handshake failed; never null. */
  private final Reason reason;

  /** Creates the exception; {@code message} says what was wrong, naming the remote. */
  public HandshakeException(Reason reason, String message) {
    super(message);
    this.reason = requireNonNull(reason, "reason");
  }

  /** Why the handshake failed. */
  public Reason reason() {
    return reason;
  }
}
