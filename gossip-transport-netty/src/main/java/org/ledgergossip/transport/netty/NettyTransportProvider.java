package org.ledgergossip.transport.netty;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;

/**
 * The {@code netty} {@link TransportProvider}: TCP with mutual TLS, for production. Priority
 * {@value #PRIORITY}. The wire format is described in the package documentation.
 *
 * <p><b>TLS.</b> {@link TransportOptions#tls()} is required. Each side presents {@link
 * TlsCredentials#certificateChain()} and requires the remote to present a certificate that chains
 * to {@link TlsCredentials#trustedCertificates()} (the server asks with {@code
 * ClientAuth.REQUIRE}). Host names are <em>not</em> verified against certificates: gossip binds a
 * remote's certificate to its identity in its own signed handshake ({@code ConnEstablish} carries
 * the hash of the sender's TLS certificate), so an address in a certificate would add nothing and
 * break NAT and external-endpoint setups. The engine is OpenSSL (netty-tcnative BoringSSL) when it
 * loads, else the JDK's; {@link #tlsEngine(TransportOptions)} says which, and every created
 * transport logs it.
 *
 * <p><b>Properties</b> ({@link TransportOptions#properties()}; an unknown {@code netty.*} key is
 * refused):
 *
 * <ul>
 *   <li>{@value #TLS_PROVIDER_PROPERTY}: {@code auto} (default), {@code openssl} or {@code jdk}.
 *   <li>{@value #TLS_PROTOCOLS_PROPERTY}: {@code TLSv1.3} (default), {@code TLSv1.2}, or both
 *       comma-separated.
 *   <li>{@value #IO_THREADS_PROPERTY}: worker event loop threads, default {@code min(2, cores)};
 *       one more thread accepts connections once the transport listens.
 *   <li>{@value #IDLE_TIMEOUT_PROPERTY}: close a connection with no traffic either way for this
 *       long ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601); default {@code
 *       none}.
 *   <li>{@value #EVENT_LOOP_PROPERTY}: {@code auto} (default: epoll when available), {@code epoll}
 *       or {@code nio}.
 * </ul>
 *
 * <p><b>Queues.</b> Each connection accepts up to {@link TransportOptions#sendQueueSize()} frames
 * that are not yet handed to the socket; beyond that {@code send} returns {@code QUEUE_FULL} and
 * the frame is dropped and counted ({@code droppedFrames()}, {@code gossip_comm_overflow_count}).
 * At most {@link TransportOptions#receiveQueueSize()} received frames wait for a connection's
 * handler; while they do, the connection stops reading, so TCP pushes back on the sender.
 *
 * <p><b>Threads.</b> Each transport owns its event loops: {@value #IO_THREADS_PROPERTY} daemon
 * threads named {@code gossip-netty-<n>-io-<k>}, and {@code gossip-netty-<n>-boss-1} once it
 * listens. Handlers and acceptors run on them and must not block. {@link
 * TransportOptions#scheduler()} is not used. {@link Transport#listen} waits for the bind; {@link
 * Transport#close()} waits (up to 5 s for the connections, then 5 s for the threads) until the
 * handlers have seen the close and the threads have ended, unless it is called on one of them.
 *
 * <p><b>Meters</b> on {@link TransportOptions#meterRegistry()}: {@code gossip_comm_messages_sent},
 * {@code gossip_comm_messages_received}, {@code gossip_comm_overflow_count}, and {@code
 * gossip_comm_handshake_failures_total{reason}} for accepted connections whose TLS handshake failed
 * (each also logged once at {@code WARN} with the remote address); reasons are {@code not_tls},
 * {@code bad_certificate}, {@code timeout}, {@code closed} and {@code protocol}.
 *
 * <p>Stateless and thread-safe, like every {@link org.ledgergossip.spi.Provider}; arguments must
 * not be null.
 */
@AutoService(TransportProvider.class)
public final class NettyTransportProvider implements TransportProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "netty";

  /** The provider's priority, {@value}: preferred among production transports. */
  public static final int PRIORITY = 10;

  /** Property selecting the TLS engine: {@code auto}, {@code openssl} or {@code jdk}. */
  public static final String TLS_PROVIDER_PROPERTY = "netty.tls.provider";

  /** Property listing the TLS versions, comma-separated: {@code TLSv1.3} and/or {@code TLSv1.2}. */
  public static final String TLS_PROTOCOLS_PROPERTY = "netty.tls.protocols";

  /** Property setting the number of worker event loop threads. */
  public static final String IO_THREADS_PROPERTY = "netty.ioThreads";

  /** Property setting the idle timeout of connections, or {@code none}. */
  public static final String IDLE_TIMEOUT_PROPERTY = "netty.idleTimeout";

  /** Property selecting the event loops: {@code auto}, {@code epoll} or {@code nio}. */
  public static final String EVENT_LOOP_PROPERTY = "netty.eventLoop";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public NettyTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * The TLS engine a transport created with {@code options} would run on.
   *
   * @throws TransportException if {@value #TLS_PROVIDER_PROPERTY} is malformed, or asks for OpenSSL
   *     and OpenSSL is not available (with the reason)
   */
  public TlsEngine tlsEngine(TransportOptions options) throws TransportException {
    requireNonNull(options, "options");
    return NettyConfig.tlsEngine(options.property(TLS_PROVIDER_PROPERTY).orElse("auto"));
  }

  /**
   * A transport with its own event loops (created lazily; no socket until {@link
   * Transport#listen}). It logs its TLS engine, protocols and event loops at {@code INFO}.
   *
   * @throws TransportException if {@link TransportOptions#tls()} is empty, if a {@code netty.*}
   *     property is unknown, malformed or cannot be honoured, or if the TLS credentials are refused
   *     by the engine; the message names the option
   */
  @Override
  public Transport create(TransportOptions options) throws TransportException {
    requireNonNull(options, "options");
    TlsCredentials tls =
        options
            .tls()
            .orElseThrow(
                () ->
                    new TransportException(
                        "the netty transport requires TLS: set TransportOptions.tls (the key,"
                            + " certificate chain and trusted CA certificates)"));
    return NettyTransport.create(options, tls, NettyConfig.parse(options));
  }

  @Override
  public String toString() {
    return "NettyTransportProvider";
  }
}
