package org.ledgergossip.transport.netty;

import static org.ledgergossip.transport.netty.NettyTransportProvider.EVENT_LOOP_PROPERTY;
import static org.ledgergossip.transport.netty.NettyTransportProvider.IDLE_TIMEOUT_PROPERTY;
import static org.ledgergossip.transport.netty.NettyTransportProvider.IO_THREADS_PROPERTY;
import static org.ledgergossip.transport.netty.NettyTransportProvider.TLS_PROTOCOLS_PROPERTY;
import static org.ledgergossip.transport.netty.NettyTransportProvider.TLS_PROVIDER_PROPERTY;

import io.netty.channel.epoll.Epoll;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/**
 * The {@code netty.*} properties of a {@link TransportOptions}, validated. Immutable.
 *
 * @param tlsEngine the TLS engine to run on
 * @param tlsProtocols the TLS versions offered and accepted, for example {@code [TLSv1.3]}
 * @param ioThreads worker event loop threads
 * @param idleTimeout close a connection with no traffic either way for this long; null for never
 * @param epoll true for epoll event loops, false for NIO
 */
record NettyConfig(
    TlsEngine tlsEngine,
    List<String> tlsProtocols,
    int ioThreads,
    @Nullable Duration idleTimeout,
    boolean epoll) {

  static final String TLS_13 = "TLSv1.3";
  static final String TLS_12 = "TLSv1.2";
  static final int MAX_IO_THREADS = 256;

  private static final Set<String> KNOWN =
      Set.of(
          TLS_PROVIDER_PROPERTY,
          TLS_PROTOCOLS_PROPERTY,
          IO_THREADS_PROPERTY,
          IDLE_TIMEOUT_PROPERTY,
          EVENT_LOOP_PROPERTY);
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  NettyConfig {
    tlsProtocols = List.copyOf(tlsProtocols);
  }

  /**
   * Reads the {@code netty.*} properties of {@code options}; other properties are ignored.
   *
   * @throws TransportException naming the property, for an unknown {@code netty.*} key or a value
   *     that is malformed or cannot be honoured in this JVM
   */
  static NettyConfig parse(TransportOptions options) throws TransportException {
    for (String key : options.properties().keySet()) {
      if (key.startsWith("netty.") && !KNOWN.contains(key)) {
        throw new TransportException(
            "unknown property " + key + " for the netty transport; known: " + KNOWN);
      }
    }
    TlsEngine engine = tlsEngine(options.property(TLS_PROVIDER_PROPERTY).orElse("auto"));
    List<String> protocols =
        protocols(options.property(TLS_PROTOCOLS_PROPERTY).orElse(TLS_13), engine);
    int ioThreads =
        ioThreads(
            options
                .property(IO_THREADS_PROPERTY)
                .orElse(Integer.toString(Math.min(2, Runtime.getRuntime().availableProcessors()))));
    Duration idle = idleTimeout(options.property(IDLE_TIMEOUT_PROPERTY).orElse("none"));
    boolean epoll = epoll(options.property(EVENT_LOOP_PROPERTY).orElse("auto"));
    return new NettyConfig(engine, protocols, ioThreads, idle, epoll);
  }

  /** The engine a value of {@value NettyTransportProvider#TLS_PROVIDER_PROPERTY} selects. */
  static TlsEngine tlsEngine(String value) throws TransportException {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> TlsEngine.auto();
      case "jdk" -> TlsEngine.JDK;
      case "openssl" -> {
        if (!OpenSsl.isAvailable()) {
          throw new TransportException(
              TLS_PROVIDER_PROPERTY
                  + "=openssl but OpenSSL (netty-tcnative) is not available: "
                  + OpenSsl.unavailabilityCause());
        }
        yield TlsEngine.OPENSSL;
      }
      default ->
          throw new TransportException(
              "invalid "
                  + TLS_PROVIDER_PROPERTY
                  + " '"
                  + value
                  + "': expected auto, openssl or jdk");
    };
  }

  private static List<String> protocols(String value, TlsEngine engine) throws TransportException {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String p = part.trim();
      if (!p.equals(TLS_13) && !p.equals(TLS_12)) {
        throw new TransportException(
            "invalid "
                + TLS_PROTOCOLS_PROPERTY
                + " '"
                + value
                + "': expected TLSv1.3, TLSv1.2 or both, comma-separated");
      }
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    if (out.contains(TLS_13)
        && engine == TlsEngine.OPENSSL
        && !SslProvider.isTlsv13Supported(SslProvider.OPENSSL)) {
      throw new TransportException(
          TLS_PROTOCOLS_PROPERTY
              + " asks for TLSv1.3, which this OpenSSL does not support; set "
              + TLS_PROVIDER_PROPERTY
              + "=jdk");
    }
    return out;
  }

  private static int ioThreads(String value) throws TransportException {
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new TransportException(
          "invalid " + IO_THREADS_PROPERTY + " '" + value + "': not a number", e);
    }
    if (n < 1 || n > MAX_IO_THREADS) {
      throw new TransportException(
          "invalid " + IO_THREADS_PROPERTY + " " + n + ": expected 1.." + MAX_IO_THREADS);
    }
    return n;
  }

  private static @Nullable Duration idleTimeout(String value) throws TransportException {
    String v = value.trim();
    if (v.equalsIgnoreCase("none")) {
      return null;
    }
    Duration d;
    Matcher m = SIMPLE_DURATION.matcher(v);
    try {
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              default -> Duration.ofHours(amount);
            };
      } else {
        d = Duration.parse(v);
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new TransportException(
          "invalid "
              + IDLE_TIMEOUT_PROPERTY
              + " '"
              + value
              + "': expected none, a duration such as 500ms, 30s, 5m, 1h, or ISO-8601 (PT30S)",
          e);
    }
    if (d.isZero() || d.isNegative()) {
      throw new TransportException(
          "invalid " + IDLE_TIMEOUT_PROPERTY + " '" + value + "': must be positive (or none)");
    }
    return d;
  }

  private static boolean epoll(String value) throws TransportException {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> Epoll.isAvailable();
      case "nio" -> false;
      case "epoll" -> {
        if (!Epoll.isAvailable()) {
          throw new TransportException(
              EVENT_LOOP_PROPERTY
                  + "=epoll but epoll is not available: "
                  + Epoll.unavailabilityCause());
        }
        yield true;
      }
      default ->
          throw new TransportException(
              "invalid " + EVENT_LOOP_PROPERTY + " '" + value + "': expected auto, epoll or nio");
    };
  }
}
