package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;
import static org.ledgergossip.core.internal.Arguments.positive;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.Sets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;

/**
 * The node's messaging layer over one {@link Transport} (Fabric's {@code gossip/comm}): every
 * connection, accepted or dialled, passes the signed handshake ({@link Handshaker}, {@link
 * Session}), is then kept as the one connection of its PKI-ID ({@link ConnectionStore}), and its
 * frames are decoded once and handed to the subscribers whose filter accepts them.
 *
 * <p><b>Sending.</b> {@link #send} queues the same frame on the open connection of each peer named;
 * it never blocks and never throws for a peer: a peer without a connection, a full send queue, a
 * frame too large or a connection that just closed is returned as a {@link SendStatus} and counted
 * in {@value #SEND_FAILURES_COUNTER}{@code {reason}}. Frames sent and received are counted by the
 * transport ({@code gossip_comm_messages_sent}, {@code _received}), not here.
 *
 * <p><b>Receiving.</b> A frame the {@link WireCodec} refuses is counted by the codec, logged at
 * most once per connection at warning level, and dropped; the connection stays open. A decoded
 * message goes, as a {@link ReceivedMessage}, to every subscriber whose filter accepts it; one that
 * no subscriber accepts is counted in {@value #UNHANDLED_COUNTER}{@code {kind}} and dropped. The
 * sender is the PKI-ID proved by the handshake, never one the message claims. Signatures are not
 * checked here: see {@link MessageDeduplicator} and {@link SignatureVerifier}.
 *
 * <p><b>Threading.</b> All methods are thread-safe and non-blocking. Subscribers (message handlers
 * and connection listeners) run on the transport's callback thread of the connection concerned: one
 * at a time and in arrival order per connection, possibly concurrently for different connections.
 * They must not block (hand long work to an executor) and should not throw; an exception is logged
 * and the other subscribers still run. A connection event may also run on the thread that completes
 * a dial or closes a connection.
 *
 * <p><b>Lifecycle.</b> {@link #start()} once, then {@link #stop()}; a stopped comm cannot be
 * restarted. {@link #stop()} closes the listener and every connection of this comm (not the
 * transport, which the caller owns); no subscriber call starts after it returns, except one already
 * under way on another thread.
 *
 * <p>Arguments must not be null ({@link NullPointerException}); no method returns null.
 */
public final class Comm {

  /** Counter of frames not sent, tagged {@code reason} ({@link SendStatus#metricTag()}). */
  public static final String SEND_FAILURES_COUNTER = "gossip_comm_send_failures_total";

  /** Counter of received messages that no subscriber accepted, tagged {@code kind}. */
  public static final String UNHANDLED_COUNTER = "gossip_comm_unhandled_messages_total";

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final Transport transport;
  private final @Nullable Endpoint listenOn;
  private final WireCodec codec;
  private final Scheduler scheduler;
  private final Duration dialTimeout;
  private final PkiId self;
  private final Handshaker handshaker;
  private final ConnectionStore store;
  private final Demux demux;
  private final Map<SendStatus, Counter> sendFailures = new EnumMap<>(SendStatus.class);

  // Guarded by this.
  private State state = State.NEW;
  private @Nullable Listener listener;
  private final Set<Connection> live = Sets.newIdentityHashSet();

  private Comm(Builder b) {
    this.transport = requireNonNull(b.transport, "transport");
    this.listenOn = b.listenOn;
    Msp msp = requireNonNull(b.msp, "msp");
    this.codec = requireNonNull(b.codec, "codec");
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    MeterRegistry registry = requireNonNull(b.meterRegistry, "meterRegistry");
    this.dialTimeout = b.dialTimeout;
    this.self = msp.localIdentity().pkiId();
    this.handshaker =
        Handshaker.builder()
            .msp(msp)
            .codec(codec)
            .scheduler(scheduler)
            .meterRegistry(registry)
            .connTimeout(b.connTimeout)
            .tlsBinding(b.tlsBinding)
            .build();
    this.store = new ConnectionStore(self, scheduler.clock(), b.connTimeout);
    this.demux = new Demux(registry);
    for (SendStatus status : EnumSet.complementOf(EnumSet.of(SendStatus.QUEUED))) {
      sendFailures.put(
          status,
          Counter.builder(SEND_FAILURES_COUNTER)
              .description("Gossip frames not sent, by reason")
              .tag("reason", status.metricTag())
              .register(registry));
    }
  }

  /** A builder; transport, msp, codec, scheduler and meter registry are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A filter for {@link #subscribe} accepting the messages whose content is one of {@code kinds}.
   */
  public static Predicate<ReceivedMessage> kindIs(ContentCase first, ContentCase... rest) {
    Set<ContentCase> kinds = EnumSet.of(first, rest);
    return m -> kinds.contains(m.contentCase());
  }

  /**
   * Starts accepting connections on the listen endpoint, if one was given; without one the comm
   * only dials.
   *
   * @throws TransportException if the endpoint cannot be bound
   * @throws IllegalStateException if called twice or after {@link #stop()}
   */
  public void start() throws TransportException {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("comm of " + self + " is " + state + ", cannot start");
      }
      if (listenOn != null) {
        listener = transport.listen(listenOn, this::accept);
      }
      state = State.RUNNING;
    }
  }

  /** The endpoint this comm listens on (with the real port), if it listens and runs. */
  public synchronized Optional<Endpoint> listenEndpoint() {
    Listener l = listener;
    return l == null ? Optional.empty() : Optional.of(l.endpoint());
  }

  /** This node's PKI-ID, from the MSP's local identity. */
  public PkiId self() {
    return self;
  }

  /**
   * Dials {@code remote} and runs the handshake. Whether to reuse an open connection instead is the
   * caller's choice ({@link #connection}). When the new connection loses at registration to one the
   * remote opened at the same moment (see {@link ConnectionStore}), the future gives the surviving
   * one; but a connection registered after this one may still replace it (the remote's simultaneous
   * dial completing later), so to send, look the peer up with {@link #connection} or use {@link
   * #send}, rather than keep the returned connection.
   *
   * @return completes with the authenticated, registered peer; or exceptionally with a {@link
   *     TimeoutException} (no connection within {@code dialTimeout}), a {@link TransportException}
   *     (the dial failed), a {@link HandshakeException} (the remote failed the handshake) or an
   *     {@link IllegalStateException} (the comm is not running)
   */
  public CompletableFuture<AuthenticatedPeer> connect(Endpoint remote) {
    return dial(requireNonNull(remote, "remote"), false);
  }

  /**
   * Authenticates {@code remote} and closes the connection (Fabric's probe): the remote's identity
   * is checked but no connection is kept.
   *
   * @return completes with the remote as authenticated (its connection closed or closing), or
   *     exceptionally as {@link #connect}
   */
  public CompletableFuture<AuthenticatedPeer> probe(Endpoint remote) {
    return dial(requireNonNull(remote, "remote"), true);
  }

  /** The open authenticated connection to {@code peer}, if there is one. */
  public Optional<AuthenticatedPeer> connection(PkiId peer) {
    return store.get(peer);
  }

  /**
   * How long the open authenticated connection to {@code peer} has been registered (on the
   * scheduler's clock), if there is one.
   */
  public Optional<Duration> connectedFor(PkiId peer) {
    return store.registeredFor(peer);
  }

  /**
   * Queues {@code frame} on {@code peer}'s open connection. Never blocks.
   *
   * @param frame a marshalled envelope; the caller must not modify it afterwards
   * @return what happened; every status but {@link SendStatus#QUEUED} is counted
   */
  public SendStatus send(byte[] frame, PkiId peer) {
    requireNonNull(frame, "frame");
    Optional<AuthenticatedPeer> target = store.get(requireNonNull(peer, "peer"));
    if (target.isEmpty()) {
      return failed(SendStatus.NOT_CONNECTED);
    }
    return sendOn(target.get(), frame);
  }

  /**
   * Queues the same {@code frame} (the same array, not copies) on the open connection of each of
   * {@code peers}; a PKI-ID named twice is sent to once. Never blocks.
   *
   * @param frame a marshalled envelope; the caller must not modify it afterwards
   * @return the status for each distinct peer, in the order of {@code peers}
   */
  public Map<PkiId, SendStatus> send(byte[] frame, Collection<PkiId> peers) {
    requireNonNull(frame, "frame");
    Map<PkiId, SendStatus> results = new LinkedHashMap<>();
    for (PkiId peer : peers) {
      if (!results.containsKey(requireNonNull(peer, "peer"))) {
        results.put(peer, send(frame, peer));
      }
    }
    return ImmutableMap.copyOf(results);
  }

  /**
   * Registers {@code handler} for the received messages {@code filter} accepts (every matching
   * subscriber gets each message). See the class documentation for the thread it runs on.
   */
  public Subscription subscribe(
      Predicate<ReceivedMessage> filter, Consumer<ReceivedMessage> handler) {
    return demux.subscribe(filter, handler);
  }

  /**
   * Registers {@code listener} for the opening and closing of authenticated connections; see {@link
   * ConnectionEvent} for which connections produce events.
   */
  public Subscription subscribeConnections(Consumer<ConnectionEvent> listener) {
    return demux.subscribeConnections(listener);
  }

  /**
   * Stops: no more subscriber calls, the listener closed, every connection of this comm closed (in
   * the handshake or authenticated). Idempotent; does not close the transport.
   */
  public void stop() {
    Listener l;
    List<Connection> toClose;
    synchronized (this) {
      if (state == State.STOPPED) {
        return;
      }
      state = State.STOPPED;
      l = listener;
      listener = null;
      toClose = new ArrayList<>(live);
      live.clear();
    }
    demux.stop();
    if (l != null) {
      l.close();
    }
    toClose.forEach(Connection::close);
  }

  /** Sends on {@code peer}'s connection, whether or not it is still the registered one. */
  SendStatus sendOn(AuthenticatedPeer peer, byte[] frame) {
    SendStatus status = SendStatus.of(peer.connection().send(frame));
    return status == SendStatus.QUEUED ? status : failed(status);
  }

  private SendStatus failed(SendStatus status) {
    requireNonNull(sendFailures.get(status), "counter").increment();
    return status;
  }

  private ConnectionHandler accept(Connection connection) {
    Session session = handshaker.newSession(false, this::authenticated);
    if (!track(connection)) {
      connection.close();
      return session;
    }
    session.start(connection);
    return session;
  }

  private CompletableFuture<AuthenticatedPeer> dial(Endpoint remote, boolean probe) {
    synchronized (this) {
      if (state != State.RUNNING) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("comm of " + self + " is " + state + ", cannot dial"));
      }
    }
    Session session = handshaker.newSession(probe, this::authenticated);
    CompletableFuture<AuthenticatedPeer> out = new CompletableFuture<>();
    CompletableFuture<Connection> dialing = transport.dial(remote, session);
    Cancellable timer =
        scheduler.schedule(
            () -> {
              if (out.completeExceptionally(
                  new TimeoutException("no connection to " + remote + " within " + dialTimeout))) {
                dialing.cancel(false);
              }
            },
            dialTimeout);
    CompletableFuture<?> unused =
        dialing.whenComplete(
            (connection, error) -> {
              timer.cancel();
              if (error != null) {
                out.completeExceptionally(unwrap(error));
              } else if (out.isDone() || !track(connection)) {
                connection.close();
                out.completeExceptionally(
                    new IllegalStateException("comm of " + self + " stopped"));
              } else {
                session.start(connection);
                CompletableFuture<?> unusedToo =
                    session
                        .result()
                        .whenComplete(
                            (peer, failure) -> {
                              if (failure != null) {
                                out.completeExceptionally(unwrap(failure));
                              } else {
                                out.complete(probe ? peer : store.get(peer.pkiId()).orElse(peer));
                              }
                            });
              }
            });
    return out;
  }

  /** Adds a connection to those {@link #stop()} closes; false if already stopped. */
  private boolean track(Connection connection) {
    synchronized (this) {
      if (state == State.STOPPED) {
        return false;
      }
      live.add(connection);
    }
    CompletableFuture<?> unused =
        connection
            .closeFuture()
            .whenComplete(
                (v, e) -> {
                  synchronized (this) {
                    live.remove(connection);
                  }
                });
    return true;
  }

  /** The handler of an authenticated connection's frames; registers the connection. */
  private ConnectionHandler authenticated(AuthenticatedPeer peer) {
    PeerConnection handler = new PeerConnection(peer, codec, demux, this);
    synchronized (this) {
      if (state != State.RUNNING) {
        peer.connection().close();
        return handler;
      }
    }
    boolean kept = store.register(peer);
    if (kept) {
      demux.publish(new ConnectionEvent(ConnectionEvent.Type.OPENED, peer));
    }
    // The close future also covers a close that races the session's hand-over to the handler.
    CompletableFuture<?> unused =
        peer.connection().closeFuture().whenComplete((v, e) -> closed(peer, kept));
    return handler;
  }

  private void closed(AuthenticatedPeer peer, boolean registered) {
    store.remove(peer);
    if (registered) {
      demux.publish(new ConnectionEvent(ConnectionEvent.Type.CLOSED, peer));
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public String toString() {
    return "Comm{self=" + self + ", listen=" + listenOn + "}";
  }

  /** Builds a {@link Comm}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Transport transport;
    private @Nullable Endpoint listenOn;
    private @Nullable Msp msp;
    private @Nullable WireCodec codec;
    private @Nullable Scheduler scheduler;
    private @Nullable MeterRegistry meterRegistry;
    private Duration connTimeout = Duration.ofSeconds(2);
    private Duration dialTimeout = Duration.ofSeconds(3);
    private boolean tlsBinding = true;

    private Builder() {}

    /** The transport connections are made and accepted on; the caller owns (and closes) it. */
    public Builder transport(Transport transport) {
      this.transport = requireNonNull(transport, "transport");
      return this;
    }

    /** Where to accept connections; without it the comm only dials. */
    public Builder listen(Endpoint endpoint) {
      this.listenOn = requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The local identity service: signs our handshake, validates the remotes'. */
    public Builder msp(Msp msp) {
      this.msp = requireNonNull(msp, "msp");
      return this;
    }

    /** The codec every frame is decoded with, once. */
    public Builder codec(WireCodec codec) {
      this.codec = requireNonNull(codec, "codec");
      return this;
    }

    /** The scheduler of the dial and handshake timeouts; its clock times the connection store. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where the comm's, and its handshaker's, counters go. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "meterRegistry");
      return this;
    }

    /** How long to wait for the remote's handshake ({@code peer.gossip.connTimeout}, 2 s). */
    public Builder connTimeout(Duration timeout) {
      this.connTimeout = positive(timeout, "connTimeout");
      return this;
    }

    /** How long a dial may take before it is abandoned ({@code peer.gossip.dialTimeout}, 3 s). */
    public Builder dialTimeout(Duration timeout) {
      this.dialTimeout = positive(timeout, "dialTimeout");
      return this;
    }

    /**
     * Whether a remote's TLS certificate must match the hash in its handshake (default true);
     * switch it off only for a transport without TLS.
     */
    public Builder tlsBinding(boolean required) {
      this.tlsBinding = required;
      return this;
    }

    /**
     * The comm, not yet started.
     *
     * @throws NullPointerException if a required setting is missing
     */
    public Comm build() {
      return new Comm(this);
    }
  }
}
