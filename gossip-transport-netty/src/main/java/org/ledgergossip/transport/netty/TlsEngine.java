package org.ledgergossip.transport.netty;

import io.netty.handler.ssl.OpenSsl;

/**
 * The TLS implementation a netty transport runs on, chosen by the property {@value
 * NettyTransportProvider#TLS_PROVIDER_PROPERTY} ({@code auto}, {@code openssl} or {@code jdk}).
 * Immutable and thread-safe.
 */
public enum TlsEngine {
  /** OpenSSL through netty-tcnative's statically linked BoringSSL; the faster engine. */
  OPENSSL,
  /** The JDK's own {@code SSLEngine} (SunJSSE); always available. */
  JDK;

  /**
   * Whether this engine can run in this JVM: {@link #JDK} always; {@link #OPENSSL} when
   * netty-tcnative loads. Never throws.
   */
  public boolean isAvailable() {
    return this == JDK || OpenSsl.isAvailable();
  }

  /**
   * A human-readable description for logs, for example {@code "OpenSSL (BoringSSL)"} or {@code "JDK
   * (SunJSSE)"}; never null.
   */
  public String description() {
    if (this == JDK) {
      return "JDK (SunJSSE)";
    }
    return OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "OpenSSL";
  }

  /**
   * The engine {@code auto} picks in this JVM: {@link #OPENSSL} if available, else {@link #JDK}.
   */
  public static TlsEngine auto() {
    return OPENSSL.isAvailable() ? OPENSSL : JDK;
  }

  /** Property value spelling: {@code openssl} or {@code jdk}. */
  String propertyValue() {
    return this == OPENSSL ? "openssl" : "jdk";
  }
}
