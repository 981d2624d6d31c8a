package org.ledgergossip.transport.netty;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Short descriptions and metric reasons for failures. Stateless. */
final class Failures {

  /** Reason tag: the remote did not speak TLS. */
  static final String NOT_TLS = "not_tls";

  /** Reason tag: the handshake did not finish within the dial timeout. */
  static final String TIMEOUT = "timeout";

  /** Reason tag: a certificate was refused (unknown CA, expired, ...), by either side. */
  static final String BAD_CERTIFICATE = "bad_certificate";

  /** Reason tag: the connection closed during the handshake. */
  static final String CLOSED = "closed";

  /** Reason tag: any other TLS failure (no common protocol version or cipher, bad record). */
  static final String PROTOCOL = "protocol";

  private static final int MAX_MESSAGE = 200;

  private Failures() {}

  /**
   * The failure's message, with its root cause's when that says more (OpenSSL wraps a refused
   * certificate as "General OpenSslEngine problem"), shortened; the class name when there is no
   * message.
   */
  static String describe(@Nullable Throwable t) {
    if (t == null) {
      return "unknown cause";
    }
    if (t instanceof ClosedChannelException) {
      return "the connection was closed";
    }
    Throwable root = t;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 10; depth++) {
      root = root.getCause();
    }
    String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    String rootMessage = root.getMessage();
    if (root != t && rootMessage != null && !message.contains(rootMessage)) {
      message = message + ": " + rootMessage;
    }
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
  }

  /** The reason tag of a failed TLS handshake, for {@code gossip_comm_handshake_failures_total}. */
  static String handshakeReason(Throwable cause) {
    int depth = 0;
    for (Throwable t = cause; t != null && depth < 10; t = t.getCause(), depth++) {
      if (t instanceof SslHandshakeTimeoutException) {
        return TIMEOUT;
      }
      if (t instanceof NotSslRecordException) {
        return NOT_TLS;
      }
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return BAD_CERTIFICATE;
      }
      if (t instanceof ClosedChannelException) {
        return CLOSED;
      }
    }
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("certificate") || message.contains("pkix")) {
      return BAD_CERTIFICATE;
    }
    return PROTOCOL;
  }
}
