package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.peer.ops.StatusReader;

/**
 * Reads a peer's operations endpoints over plain HTTP (the loopback networks {@code network init}
 * writes have operations TLS off). Thread-safe.
 */
final class OpsClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  /** The body of {@code GET path} if the answer is 200; empty if not 200 or unreachable. */
  Optional<String> get(Endpoint ops, String path) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + ops + path)).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The peer's {@code /status}, if it answers and the JSON reads. */
  Optional<StatusReader> status(Endpoint ops) throws InterruptedException {
    Optional<String> body = get(ops, "/status");
    if (body.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(StatusReader.parse(body.get()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
