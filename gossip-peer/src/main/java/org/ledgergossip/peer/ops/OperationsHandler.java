package org.ledgergossip.peer.ops;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes and answers the requests of {@link OperationsServer}. Thread-safe: it holds no mutable
 * state but the count of requests in progress.
 */
final class OperationsHandler implements HttpHandler {

  static final Logger log = LoggerFactory.getLogger(OperationsServer.class);

  static final String JSON = "application/json";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** The most of a refused request body read and discarded before answering 413. */
  static final long MAX_DRAIN_BYTES = 1024 * 1024;

  private final List<HealthCheck> checks;
  private final @Nullable PrometheusMeterRegistry metrics;
  private final LogLevels logLevels;
  private final VersionInfo version;
  private final @Nullable Supplier<String> status;
  private final Clock clock;
  private final int maxRequestBytes;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** An answer: status code, content type and body. */
  private record Answer(int code, String contentType, String body) {
    static Answer json(int code, String json) {
      return new Answer(code, JSON, json);
    }

    static Answer error(int code, String message) {
      return json(
          code, new JsonWriter().beginObject().field("error", message).endObject().toString());
    }
  }

  OperationsHandler(
      List<HealthCheck> checks,
      @Nullable PrometheusMeterRegistry metrics,
      LogLevels logLevels,
      VersionInfo version,
      @Nullable Supplier<String> status,
      Clock clock,
      int maxRequestBytes) {
    this.checks = checks;
    this.metrics = metrics;
    this.logLevels = logLevels;
    this.version = version;
    this.status = status;
    this.clock = clock;
    this.maxRequestBytes = maxRequestBytes;
  }

  /** Requests being answered now. */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try (exchange) {
      Answer answer;
      try {
        answer = route(exchange);
      } catch (RuntimeException e) {
        log.warn("Operations request {} {} failed", exchange.getRequestMethod(), path(exchange), e);
        answer = Answer.error(500, "internal error: " + e);
      }
      send(exchange, answer);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private Answer route(HttpExchange exchange) throws IOException {
    String path = path(exchange);
    String method = exchange.getRequestMethod();
    boolean known =
        switch (path) {
          case "/healthz", "/logspec", "/version" -> true;
          case "/metrics" -> metrics != null;
          case "/status" -> status != null;
          default -> false;
        };
    if (!known) {
      return Answer.error(404, "no such endpoint: " + path);
    }
    String allowed = path.equals("/logspec") ? "GET, PUT" : "GET";
    if (!method.equals("GET") && !(method.equals("PUT") && path.equals("/logspec"))) {
      exchange.getResponseHeaders().set("Allow", allowed);
      return Answer.error(405, "invalid request method: " + method);
    }
    if (method.equals("PUT")) {
      Optional<byte[]> body = readBody(exchange);
      if (body.isEmpty()) {
        return Answer.error(413, "request body larger than " + maxRequestBytes + " bytes");
      }
      return putLogSpec(new String(body.get(), UTF_8));
    }
    return switch (path) {
      case "/healthz" -> healthz();
      case "/metrics" -> new Answer(200, PROMETHEUS_TEXT, metrics().scrape());
      case "/logspec" -> Answer.json(200, specJson(logLevels.spec()));
      case "/version" -> Answer.json(200, version.toJson());
      default -> status();
    };
  }

  private PrometheusMeterRegistry metrics() {
    if (metrics == null) {
      throw new IllegalStateException("no metrics registry");
    }
    return metrics;
  }

  /** Fabric's healthz answer: every check runs; 503 with {@code failed_checks} if one fails. */
  private Answer healthz() {
    List<Map.Entry<String, String>> failures = new ArrayList<>();
    for (HealthCheck check : checks) {
      Optional<String> reason;
      try {
        reason = check.check();
      } catch (RuntimeException e) {
        reason = Optional.of("health check failed: " + e);
      }
      reason.ifPresent(r -> failures.add(Map.entry(check.component(), r)));
    }
    boolean failed = !failures.isEmpty();
    JsonWriter w = new JsonWriter().beginObject();
    w.field("status", failed ? "Service Unavailable" : "OK");
    w.field("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
    if (failed) {
      w.name("failed_checks").beginArray();
      for (Map.Entry<String, String> f : failures) {
        w.beginObject().field("component", f.getKey()).field("reason", f.getValue()).endObject();
      }
      w.endArray();
    }
    return Answer.json(failed ? 503 : 200, w.endObject().toString());
  }

  private Answer putLogSpec(String body) {
    String spec;
    try {
      Object parsed = JsonParser.parse(body);
      if (!(parsed instanceof Map<?, ?> map)) {
        return Answer.error(400, "the body must be a JSON object such as {\"spec\":\"info\"}");
      }
      Object value = map.get("spec");
      if (value != null && !(value instanceof String)) {
        return Answer.error(400, "spec must be a string");
      }
      spec = value == null ? "" : (String) value;
    } catch (IllegalArgumentException e) {
      return Answer.error(400, e.getMessage());
    }
    try {
      LogSpec parsed = LogSpec.parse(spec);
      logLevels.apply(parsed);
      log.info("Log spec changed to {}", parsed);
      return new Answer(204, JSON, "");
    } catch (IllegalArgumentException e) {
      return Answer.error(400, e.getMessage());
    }
  }

  private Answer status() {
    Supplier<String> source = status;
    if (source == null) {
      return Answer.error(404, "no such endpoint: /status");
    }
    try {
      return Answer.json(200, source.get());
    } catch (IllegalStateException e) {
      return Answer.error(503, "status unavailable: " + e.getMessage());
    }
  }

  /**
   * The body, or empty when it is larger than {@code maxRequestBytes}. A refused body is read and
   * discarded up to {@value #MAX_DRAIN_BYTES} bytes, so that the client, still sending, gets the
   * 413 instead of a connection reset; beyond that the connection is closed.
   */
  private Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      boolean tooLong = false;
      if (length != null) {
        try {
          tooLong = Long.parseLong(length.trim()) > maxRequestBytes;
        } catch (NumberFormatException e) {
          // the server's own parsing refuses such a request; read with the bound below
        }
      }
      if (!tooLong) {
        byte[] body = in.readNBytes(maxRequestBytes + 1);
        if (body.length <= maxRequestBytes) {
          return Optional.of(body);
        }
      }
      exchange.getResponseHeaders().set("Connection", "close");
      byte[] discard = new byte[8192];
      long left = MAX_DRAIN_BYTES;
      for (int n = 0; n >= 0 && left > 0; left -= n) {
        n = in.read(discard, 0, (int) Math.min(discard.length, left));
      }
      return Optional.empty();
    }
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    byte[] body = answer.body().getBytes(UTF_8);
    exchange.sendResponseHeaders(answer.code(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String path(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    return path == null ? "" : path;
  }

  static String specJson(LogSpec spec) {
    return new JsonWriter().beginObject().field("spec", spec.toString()).endObject().toString();
  }
}
