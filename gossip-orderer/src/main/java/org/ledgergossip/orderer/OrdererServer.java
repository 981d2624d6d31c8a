package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link OrdererEmulator} as Fabric's {@code orderer.AtomicBroadcast} gRPC service, over
 * mutual TLS, so that a Fabric peer, the {@code deliver} block source or any Fabric SDK can read
 * blocks from it and send it envelopes.
 *
 * <ul>
 *   <li>{@code Deliver}: each request is a signed envelope of type {@code DELIVER_SEEK_INFO} whose
 *       creator must be an identity valid under the {@linkplain Builder#clientMsp client MSP},
 *       whose timestamp is within {@link Builder#timeWindow} of the emulator's clock, and whose
 *       channel header carries the SHA-256 of the client's TLS certificate; the blocks from its
 *       {@code SeekInfo}'s start to its stop are streamed in order, then a {@code SUCCESS} status.
 *       Refusals and errors are answered with Fabric's statuses ({@code BAD_REQUEST}, {@code
 *       FORBIDDEN}, {@code NOT_FOUND}, {@code SERVICE_UNAVAILABLE}) and end the stream. Blocks are
 *       sent only as fast as the client reads them (gRPC flow control).
 *   <li>{@code Broadcast}: each signed envelope is checked (parses, known channel, valid creator
 *       and signature) and given to {@link OrdererEmulator#broadcast}; the answer is its status.
 * </ul>
 *
 * <p><b>TLS.</b> The server presents {@link Builder#tls}'s key and chain and requires a client
 * certificate chaining to its trusted CAs; a client without one fails the handshake.
 *
 * <p><b>Threading.</b> Thread-safe. Request handling and block pumping run on the {@linkplain
 * Builder#executor executor} (default: a pool of {@value #DEFAULT_THREADS} daemon threads the
 * server owns); nothing runs on the emulator's scheduler except a wake-up per cut block.
 *
 * <p><b>Metrics</b> go to the emulator's registry unless {@linkplain Builder#meterRegistry set}:
 * see {@code DeliverService} and {@code BroadcastService} ({@code deliver_streams_opened}, {@code
 * deliver_requests_completed{channel,success}}, {@code deliver_requests_refused{reason}}, {@code
 * broadcast_requests_refused{reason}}, ...); each refusal reason is logged once at WARN.
 *
 * <p><b>Nullability.</b> No argument may be null; no method returns null.
 */
public final class OrdererServer implements AutoCloseable {

  /** Fabric's default {@code General.Authentication.TimeWindow}: 15 minutes. */
  public static final Duration DEFAULT_TIME_WINDOW = Duration.ofMinutes(15);

  /** Fabric's default largest gRPC message ({@code General.MaxRecvMsgSize}): 100 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

  /** Threads of the default executor. */
  public static final int DEFAULT_THREADS = 4;

  private static final Logger LOG = LoggerFactory.getLogger(OrdererServer.class);

  private final Server server;
  private final DeliverService deliver;
  private final @Nullable ExecutorService ownedExecutor;
  private final Endpoint endpoint;
  private final Duration shutdownGrace;
  private boolean closed;

  private OrdererServer(
      Server server,
      DeliverService deliver,
      @Nullable ExecutorService ownedExecutor,
      Endpoint endpoint,
      Duration shutdownGrace) {
    this.server = server;
    this.deliver = deliver;
    this.ownedExecutor = ownedExecutor;
    this.endpoint = endpoint;
    this.shutdownGrace = shutdownGrace;
  }

  /** A builder; {@link Builder#emulator} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server is bound to (the chosen one when the endpoint's port was 0). */
  public int port() {
    return endpoint.port();
  }

  /**
   * The host of the {@linkplain Builder#endpoint endpoint} and the {@linkplain #port bound port}.
   */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** Number of open {@code Deliver} streams. */
  public int deliverStreams() {
    return deliver.openSessions();
  }

  /**
   * Stops the server: open {@code Deliver} streams get {@code SERVICE_UNAVAILABLE}, new calls are
   * refused, calls still running after the {@linkplain Builder#shutdownGrace grace period} are
   * cancelled, and the owned executor is stopped. Returns within about three grace periods. Does
   * not close the emulator. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    deliver.closeAll();
    server.shutdown();
    long grace = shutdownGrace.toNanos();
    try {
      if (!server.awaitTermination(grace, TimeUnit.NANOSECONDS)) {
        server.shutdownNow();
        if (!server.awaitTermination(grace, TimeUnit.NANOSECONDS)) {
          LOG.warn("orderer server {} did not terminate within {}", endpoint, shutdownGrace);
        }
      }
      if (ownedExecutor != null) {
        ownedExecutor.shutdownNow();
        ownedExecutor.awaitTermination(grace, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      if (ownedExecutor != null) {
        ownedExecutor.shutdownNow();
      }
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "OrdererServer[" + endpoint + "]";
  }

  /** Puts the SHA-256 of the client's TLS certificate into the call's context. */
  private static final class ClientCertificateInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      byte[] hash =
          GrpcTls.peerCertificateHash(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      Context context = Context.current().withValue(DeliverService.CLIENT_CERT_HASH, hash);
      return Contexts.interceptCall(context, call, headers, next);
    }
  }

  /** Builds and starts an {@link OrdererServer}; not thread-safe. */
  public static final class Builder {
    private @Nullable OrdererEmulator emulator;
    private Endpoint endpoint = new Endpoint("127.0.0.1", 0);
    private @Nullable TlsCredentials tls;
    private @Nullable Msp clientMsp;
    private @Nullable MeterRegistry registry;
    private @Nullable Executor executor;
    private Duration timeWindow = DEFAULT_TIME_WINDOW;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private Duration shutdownGrace = Duration.ofSeconds(1);

    private Builder() {}

    /** The ordering service to serve. Required. */
    public Builder emulator(OrdererEmulator emulator) {
      this.emulator = requireNonNull(emulator, "emulator");
      return this;
    }

    /** Where to listen; port 0 picks a free port. Default {@code 127.0.0.1:0}. */
    public Builder endpoint(Endpoint endpoint) {
      this.endpoint = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The server's TLS key and chain and the CAs client certificates must chain to. Default: the
     * TLS material of the emulator's MSP.
     */
    public Builder tls(TlsCredentials tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /**
     * The MSP that validates the creators of requests (for {@code Deliver}, the readers; for {@code
     * Broadcast}, the writers). Default: the emulator's MSP, so any identity of an organisation it
     * trusts.
     */
    public Builder clientMsp(Msp clientMsp) {
      this.clientMsp = requireNonNull(clientMsp, "clientMsp");
      return this;
    }

    /** Where the metrics go; default the emulator's registry. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Runs request handling and block pumping; the caller keeps owning it. Default: a pool of
     * {@value #DEFAULT_THREADS} daemon threads that {@link #close()} stops.
     */
    public Builder executor(Executor executor) {
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /** How far a deliver request's timestamp may be from the emulator's clock; default 15 min. */
    public Builder timeWindow(Duration timeWindow) {
      this.timeWindow = positive(timeWindow, "timeWindow");
      return this;
    }

    /** The largest message accepted; default {@value #DEFAULT_MAX_MESSAGE_BYTES}. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes <= 0) {
        throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** How long {@link #close()} waits for calls to end before cancelling them; default 1 s. */
    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = positive(shutdownGrace, "shutdownGrace");
      return this;
    }

    /**
     * Binds the endpoint and starts serving.
     *
     * @throws NullPointerException if no emulator was set
     * @throws IllegalArgumentException if there is no TLS material (none set and the emulator's MSP
     *     has none) or it is unusable
     * @throws IOException if the endpoint cannot be bound
     */
    public OrdererServer start() throws IOException {
      OrdererEmulator e = requireNonNull(emulator, "emulator");
      TlsCredentials credentials = tls;
      if (credentials == null) {
        credentials =
            e.msp
                .tlsCredentials()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "no TLS credentials set and the emulator's MSP has no TLS material"));
      }
      Msp validating = clientMsp == null ? e.msp : clientMsp;
      MeterRegistry meters = registry == null ? e.registry : registry;
      ExecutorService owned = null;
      Executor runOn = executor;
      if (runOn == null) {
        owned = Executors.newFixedThreadPool(DEFAULT_THREADS, daemonThreads());
        runOn = owned;
      }
      EnvelopeCheck check = new EnvelopeCheck(validating, e.clock(), timeWindow);
      DeliverService deliver = new DeliverService(e, check, runOn, meters);
      BroadcastService broadcast =
          new BroadcastService(e, check, BroadcastService.refusals(meters));
      ServerServiceDefinition service =
          ServerServiceDefinition.builder(AtomicBroadcastGrpc.getServiceDescriptor())
              .addMethod(
                  AtomicBroadcastGrpc.getBroadcastMethod(),
                  ServerCalls.asyncBidiStreamingCall(broadcast))
              .addMethod(
                  AtomicBroadcastGrpc.getDeliverMethod(),
                  ServerCalls.asyncBidiStreamingCall(deliver))
              .build();
      Server server;
      try {
        server =
            NettyServerBuilder.forAddress(
                    new InetSocketAddress(endpoint.host(), endpoint.port()),
                    GrpcTls.server(credentials))
                .executor(runOn)
                .addService(
                    ServerInterceptors.intercept(service, new ClientCertificateInterceptor()))
                .maxInboundMessageSize(maxMessageBytes)
                .permitKeepAliveTime(30, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start();
      } catch (IOException ex) {
        shutdown(owned);
        throw new IOException("cannot listen on " + endpoint + ": " + ex.getMessage(), ex);
      } catch (RuntimeException ex) {
        shutdown(owned);
        throw ex;
      }
      Endpoint bound = new Endpoint(endpoint.host(), server.getPort());
      LOG.info("orderer AtomicBroadcast serving {} on {}", e, bound);
      return new OrdererServer(server, deliver, owned, bound, shutdownGrace);
    }

    private static void shutdown(@Nullable ExecutorService owned) {
      if (owned != null) {
        owned.shutdownNow();
      }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, "orderer-grpc-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }

    private static Duration positive(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
