package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Clock;

/**
 * The peer's operations endpoints over HTTP (HTTPS when {@code operations.tls.enabled}), as
 * Fabric's operations server: {@code GET /healthz}, {@code GET /metrics}, {@code GET}/{@code PUT
 * /logspec}, {@code GET /version}, and ours, {@code GET /status}. See {@code OPERATIONS.md}.
 *
 * <pre>{@code
 * try (OperationsServer ops = OperationsServer.builder()
 *     .listen("127.0.0.1:9443")
 *     .healthCheck(HealthChecks.ledgerWritable(ledgerDir))
 *     .metrics(prometheusRegistry)
 *     .logLevels(LogLevels.logback(LogSpec.parse(System.getenv().getOrDefault("FABRIC_LOGGING_SPEC", ""))))
 *     .status(statusJson::render)
 *     .start()) {
 *   System.out.println("operations on port " + ops.port());
 * }
 * }</pre>
 *
 * <p>Answers: JSON ({@code application/json}) except {@code /metrics} (Prometheus text format
 * 0.0.4); errors as {@code {"error":"…"}} — 404 for an unknown path (or an endpoint not configured,
 * such as {@code /metrics} without a registry or {@code /status} without a source), 405 with {@code
 * Allow} for another method, 413 for a request body over {@link Builder#maxRequestBytes}, 400 for a
 * bad {@code PUT /logspec}, 503 for {@code /status} while the node is not running, 500 for an
 * unexpected failure (logged).
 *
 * <p><b>Threading.</b> Requests are served by a bounded pool ({@link Builder#threads}, 2 by
 * default) fed by a bounded queue of 32; when both are full, the accepting thread serves the
 * request itself, which slows accepting down (back-pressure) instead of dropping connections. The
 * server's methods are thread-safe; {@link #close()} is idempotent and returns within about {@link
 * Builder#shutdownTimeout} plus one second.
 */
public final class OperationsServer implements AutoCloseable {

  private static final int QUEUE = 32;
  private static final int BACKLOG = 32;

  private final HttpServer server;
  private final OperationsHandler handler;
  private final ThreadPoolExecutor executor;
  private final Duration shutdownTimeout;
  private final boolean tls;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OperationsServer(
      HttpServer server,
      OperationsHandler handler,
      ThreadPoolExecutor executor,
      Duration shutdownTimeout,
      boolean tls) {
    this.server = server;
    this.handler = handler;
    this.executor = executor;
    this.shutdownTimeout = shutdownTimeout;
    this.tls = tls;
  }

  /** A builder: listening on {@code 127.0.0.1:9443}, no TLS, no checks, recording log levels. */
  public static Builder builder() {
    return new Builder();
  }

  /** The address the server is bound to, with the port chosen when 0 was asked. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The port the server is bound to. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** True when serving HTTPS. */
  public boolean isTls() {
    return tls;
  }

  /**
   * Stops listening, lets requests in progress finish for up to the shutdown timeout, then stops
   * the threads. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // The JDK's stop(delay) waits the whole delay when no request is in progress (fixed only in
    // JDK 21, JDK-8304065), hence 0 then.
    int seconds =
        handler.inFlight() == 0 ? 0 : (int) Math.min(60, (shutdownTimeout.toMillis() + 999) / 1000);
    server.stop(seconds);
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        OperationsHandler.log.warn("Operations server threads still busy after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "OperationsServer[" + (tls ? "https://" : "http://") + address() + "]";
  }

  /** Collects the server's settings. Not thread-safe. */
  public static final class Builder {
    private InetSocketAddress listen =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 9443);
    private @Nullable SSLContext sslContext;
    private boolean clientAuth;
    private final List<HealthCheck> checks = new ArrayList<>();
    private @Nullable PrometheusMeterRegistry metrics;
    private LogLevels logLevels = LogLevels.recording(LogSpec.INFO);
    private @Nullable VersionInfo version;
    private @Nullable Supplier<String> status;
    private Clock clock = Clock.system();
    private int threads = 2;
    private int maxRequestBytes = 64 * 1024;
    private Duration shutdownTimeout = Duration.ofSeconds(2);

    private Builder() {}

    /**
     * Where to listen ({@code operations.listenAddress}): {@code host:port}, {@code [v6]:port} or
     * {@code :port} (every interface); port 0 picks a free one.
     *
     * @throws IllegalArgumentException if {@code address} is not of that form
     */
    @CanIgnoreReturnValue
    @SuppressWarnings("AddressSelection") // a server binds one address, as Fabric's does
    public Builder listen(String address) {
      requireNonNull(address, "address");
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "operations.listenAddress '" + address + "' is not host:port");
      }
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "operations.listenAddress '" + address + "' has no valid port", e);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "operations.listenAddress '" + address + "': port out of range");
      }
      return listen(
          host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
    }

    /** Where to listen; port 0 picks a free one. */
    @CanIgnoreReturnValue
    public Builder listen(InetSocketAddress address) {
      this.listen = requireNonNull(address, "address");
      return this;
    }

    /**
     * Serves HTTPS with {@code context} (see {@link OperationsTls}); with {@code requireClientAuth}
     * ({@code operations.tls.clientAuthRequired}) a client must present a certificate the context
     * trusts. TLS 1.2 and 1.3 only.
     */
    @CanIgnoreReturnValue
    public Builder tls(SSLContext context, boolean requireClientAuth) {
      this.sslContext = requireNonNull(context, "context");
      this.clientAuth = requireClientAuth;
      return this;
    }

    /** Adds a check to {@code /healthz}; checks run in the order added. */
    @CanIgnoreReturnValue
    public Builder healthCheck(HealthCheck check) {
      this.checks.add(requireNonNull(check, "check"));
      return this;
    }

    /** Serves {@code /metrics} from {@code registry} (without one, {@code /metrics} is 404). */
    @CanIgnoreReturnValue
    public Builder metrics(PrometheusMeterRegistry registry) {
      this.metrics = requireNonNull(registry, "registry");
      return this;
    }

    /** Where {@code /logspec} reads and applies the spec (default: only recorded, {@code info}). */
    @CanIgnoreReturnValue
    public Builder logLevels(LogLevels levels) {
      this.logLevels = requireNonNull(levels, "levels");
      return this;
    }

    /** What {@code /version} answers (default {@link VersionInfo#load()}). */
    @CanIgnoreReturnValue
    public Builder version(VersionInfo version) {
      this.version = requireNonNull(version, "version");
      return this;
    }

    /**
     * The source of {@code /status}, usually {@link StatusJson#render} (without one, {@code
     * /status} is 404). It may throw {@link IllegalStateException} while the node is not running:
     * the answer is then 503.
     */
    @CanIgnoreReturnValue
    public Builder status(Supplier<String> json) {
      this.status = requireNonNull(json, "json");
      return this;
    }

    /** The clock of {@code /healthz}'s {@code time} (default: the system's). */
    @CanIgnoreReturnValue
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Request threads, 1 to 16 (default 2). */
    @CanIgnoreReturnValue
    public Builder threads(int threads) {
      if (threads < 1 || threads > 16) {
        throw new IllegalArgumentException("threads must be 1..16, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** The largest request body accepted, in bytes (default 64 KiB); larger ones get 413. */
    @CanIgnoreReturnValue
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxRequestBytes must be positive, got " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /** How long {@link #close()} lets requests in progress finish (default 2 s). */
    @CanIgnoreReturnValue
    public Builder shutdownTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("shutdownTimeout must not be negative");
      }
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IOException if the address cannot be bound (the message names it)
     */
    public OperationsServer start() throws IOException {
      HttpServer server;
      try {
        if (sslContext != null) {
          HttpsServer https = HttpsServer.create(listen, BACKLOG);
          https.setHttpsConfigurator(configurator(sslContext, clientAuth));
          server = https;
        } else {
          server = HttpServer.create(listen, BACKLOG);
        }
      } catch (IOException e) {
        throw new IOException(
            "cannot listen on operations.listenAddress " + listen + ": " + e.getMessage(), e);
      }
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(QUEUE),
              threadFactory(),
              new ThreadPoolExecutor.CallerRunsPolicy());
      OperationsHandler handler =
          new OperationsHandler(
              List.copyOf(checks),
              metrics,
              logLevels,
              version != null ? version : VersionInfo.load(),
              status,
              clock,
              maxRequestBytes);
      server.createContext("/", handler);
      server.setExecutor(executor);
      server.start();
      OperationsServer ops =
          new OperationsServer(server, handler, executor, shutdownTimeout, sslContext != null);
      OperationsHandler.log.info("Operations endpoints on {}", ops);
      return ops;
    }

    private static HttpsConfigurator configurator(SSLContext context, boolean clientAuth) {
      return new HttpsConfigurator(context) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = context.getDefaultSSLParameters();
          p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
          p.setNeedClientAuth(clientAuth);
          params.setSSLParameters(p);
        }
      };
    }

    private static ThreadFactory threadFactory() {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, "operations-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}
