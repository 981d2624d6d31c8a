package org.ledgergossip.peer.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.peer.config.PeerSettings;
import org.ledgergossip.peer.config.TlsSettings;
import org.ledgergossip.peer.daemon.PeerDaemon;
import org.ledgergossip.peer.ops.HealthCheck;
import org.ledgergossip.peer.ops.HealthChecks;
import org.ledgergossip.peer.ops.LogLevels;
import org.ledgergossip.peer.ops.OperationsServer;
import org.ledgergossip.peer.ops.OperationsTls;
import org.ledgergossip.peer.ops.StatusJson;
import org.ledgergossip.peer.ops.VersionInfo;

/**
 * The operations side of a running peer: the Prometheus registry its meters go to, and the HTTP
 * endpoints of OPERATIONS.md on {@code operations.listenAddress} (HTTPS when {@code
 * operations.tls.enabled}). Started before the node so that a port in use is reported first; {@code
 * /status} and the node's health checks answer once {@link #serve} is called. Not thread-safe: the
 * start command drives it.
 */
final class Operations implements AutoCloseable {

  /** The grace period after start before "no alive peer" makes {@code /healthz} fail. */
  static final Duration ALIVE_GRACE = Duration.ofSeconds(30);

  /** How long a leader's ordering service may fail before {@code /healthz} fails. */
  static final Duration ORDERER_THRESHOLD = Duration.ofSeconds(30);

  private final PrometheusMeterRegistry meters;
  private final OperationsServer server;
  private final AtomicReference<@Nullable StatusJson> status;
  private final AtomicReference<@Nullable HealthCheck> alive;
  private final AtomicReference<@Nullable HealthCheck> orderer;

  private Operations(
      PrometheusMeterRegistry meters,
      OperationsServer server,
      AtomicReference<@Nullable StatusJson> status,
      AtomicReference<@Nullable HealthCheck> alive,
      AtomicReference<@Nullable HealthCheck> orderer) {
    this.meters = meters;
    this.server = server;
    this.status = status;
    this.alive = alive;
    this.orderer = orderer;
  }

  /**
   * Starts the endpoints of {@code settings.operations()}, with the ledger check and, once the node
   * serves, the membership and ordering-service checks.
   *
   * @throws IOException if the address cannot be bound (the message names it) or the TLS files
   *     cannot be read
   */
  static Operations start(PeerSettings settings, LogLevels levels) throws IOException {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<@Nullable StatusJson> status = new AtomicReference<>();
    AtomicReference<@Nullable HealthCheck> alive = new AtomicReference<>();
    AtomicReference<@Nullable HealthCheck> orderer = new AtomicReference<>();
    OperationsServer.Builder b =
        OperationsServer.builder()
            .listen(settings.operations().listenAddress().toString())
            .metrics(meters)
            .logLevels(levels)
            .version(VersionInfo.load())
            .healthCheck(HealthChecks.ledgerWritable(settings.fileSystemPath()))
            .healthCheck(deferred(HealthChecks.MEMBERSHIP, alive))
            .healthCheck(deferred(HealthChecks.ORDERER, orderer))
            .status(
                () -> {
                  StatusJson s = status.get();
                  if (s == null) {
                    throw new IllegalStateException("the peer is starting");
                  }
                  return s.render();
                });
    TlsSettings tls = settings.operations().tls();
    if (tls.enabled()) {
      try {
        SSLContext context =
            OperationsTls.sslContext(
                tls.certificate().orElseThrow(),
                tls.privateKey().orElseThrow(),
                tls.clientRootCAs());
        b.tls(context, tls.clientAuthRequired());
      } catch (java.security.GeneralSecurityException e) {
        meters.close();
        throw new IOException("operations.tls: " + e.getMessage(), e);
      }
    }
    OperationsServer server;
    try {
      server = b.start();
    } catch (IOException e) {
      meters.close();
      throw new IOException(
          "cannot listen on operations.listenAddress "
              + settings.operations().listenAddress()
              + ": "
              + e.getMessage(),
          e);
    }
    return new Operations(meters, server, status, alive, orderer);
  }

  /** A check that passes until {@code ref} holds the real one. */
  private static HealthCheck deferred(
      String component, AtomicReference<@Nullable HealthCheck> ref) {
    return HealthCheck.of(
        component,
        () -> {
          HealthCheck c = ref.get();
          return c == null ? java.util.Optional.empty() : c.check();
        });
  }

  MeterRegistry meters() {
    return meters;
  }

  /** The bound port. */
  int port() {
    return server.port();
  }

  /** Starts answering {@code /status} and the node's health checks for {@code daemon}. */
  void serve(PeerDaemon daemon) {
    Clock clock = Clock.system();
    status.set(StatusJson.attach(daemon.node(), daemon.settings().id(), clock));
    alive.set(HealthChecks.alivePeers(daemon.node(), clock, ALIVE_GRACE));
    orderer.set(HealthChecks.orderingService(daemon.node(), clock, ORDERER_THRESHOLD));
  }

  @Override
  public void close() {
    server.close();
    StatusJson s = status.getAndSet(null);
    if (s != null) {
      s.close();
    }
    meters.close();
  }
}
