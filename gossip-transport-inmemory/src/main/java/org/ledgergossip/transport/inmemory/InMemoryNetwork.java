package org.ledgergossip.transport.inmemory;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/**
 * A simulated network inside this JVM: {@link Transport}s made by {@link #newTransport} listen on
 * and dial {@link Endpoint}s of this network only. Several independent networks may be open at
 * once; an open network can be found by its name with {@link #lookup} (the {@code inmemory}
 * provider does), and a closed one is forgotten.
 *
 * <p><b>Determinism.</b> Every dial completion, frame delivery, close notification and timeout runs
 * as a task on the network's {@link Scheduler}, and every random decision of {@link #faults()} is
 * drawn from one {@link Random} seeded with {@link Builder#seed}. On a {@link VirtualScheduler}
 * driven from one thread, the same inputs and seed give the same run, event for event ({@link
 * #events}).
 *
 * <p><b>Connections.</b> Each direction of a connection has a send queue bounded by the sender's
 * {@link TransportOptions#sendQueueSize()} (when full, {@code send} returns {@code QUEUE_FULL}, the
 * frame is dropped and counted in {@code droppedFrames()} and {@code gossip_comm_overflow_count})
 * and a receive window bounded by the receiver's {@link TransportOptions#receiveQueueSize()}:
 * frames in flight plus the frame its handler is processing. Frames leave the send queue only while
 * the receiver has room, so no queue is unbounded. A frame larger than the receiver's {@link
 * TransportOptions#maxFrameSize()} makes the receiver close the connection with a {@link
 * TransportException} "frame of N bytes exceeds the maximum of M bytes". A dial to an endpoint
 * nobody listens on fails on the next scheduler turn with "connection refused".
 *
 * <p><b>TLS emulation.</b> If the accepting transport has {@link TransportOptions#tls()}, the
 * dialler must have TLS too and each side's certificate must be signed by, and name as issuer, one
 * of the other side's trusted certificates; otherwise the dial fails with a {@link
 * TransportException} saying why. A dialler with TLS cannot connect to an endpoint without TLS.
 * Certificate validity dates are not checked.
 *
 * <p><b>Meters</b> (on each transport's {@link TransportOptions#meterRegistry()}): {@code
 * gossip_comm_messages_sent}, {@code gossip_comm_messages_received}, {@code
 * gossip_comm_overflow_count} and {@code inmemory_frames_lost_total} with tag {@code
 * reason=drop|partition}, counted on the sender.
 *
 * <p><b>Threading.</b> Thread-safe: all state is guarded by one lock per network, and handlers,
 * acceptors and dial futures are called on the scheduler without that lock held. Observers of
 * {@link #events} are called with the lock held: they must be quick and should not call the
 * network.
 *
 * <p><b>Lifecycle.</b> {@link #close()} closes every transport of the network (their handlers see
 * an orderly close), forgets the name, and closes the scheduler only if the network made it itself.
 * Arguments are never null.
 */
public final class InMemoryNetwork implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(InMemoryNetwork.class.getName());
  private static final int FIRST_FREE_PORT = 49152;
  private static final int LAST_PORT = 65535;

  /** Open networks by name; guarded by itself. */
  private static final Map<String, InMemoryNetwork> REGISTRY = new HashMap<>();

  private final String name;
  private final Scheduler scheduler;
  private final long seed;
  private final boolean ownsScheduler;
  private final boolean closeWhenIdle;
  private final Object lock = new Object();
  private final Random random;
  private final Faults faults;
  private final List<Consumer<NetworkEvent>> observers = new CopyOnWriteArrayList<>();

  // Guarded by lock.
  private final Map<Endpoint, InMemoryListener> bindings = new HashMap<>();
  private final Set<InMemoryTransport> transports = new LinkedHashSet<>();
  private final Map<String, Integer> nextPort = new HashMap<>();
  private int clients;
  private boolean closed;

  private InMemoryNetwork(Builder b, boolean ownsScheduler, boolean closeWhenIdle) {
    this.name = requireNonNull(b.name, "name");
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    this.seed = b.seed;
    this.ownsScheduler = ownsScheduler;
    this.closeWhenIdle = closeWhenIdle;
    this.random = new Random(seed);
    this.faults = new Faults(this, lock);
  }

  /** A builder; {@link Builder#scheduler} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The open network named {@code name}, if any. */
  public static Optional<InMemoryNetwork> lookup(String name) {
    requireNonNull(name, "name");
    synchronized (REGISTRY) {
      return Optional.ofNullable(REGISTRY.get(name));
    }
  }

  /**
   * A new transport on this network. It listens nowhere until {@link Transport#listen} is called.
   *
   * <p>The network's scheduler times everything (delays, timeouts, deliveries). If {@link
   * TransportOptions#scheduler()} names another scheduler, the transport's handlers receive their
   * frames on it, in order per connection direction: in real time, a network of peers that each
   * bring their own scheduler then spreads the handlers' work over those threads instead of running
   * it all on the network's one. Acceptors, dial futures and close notifications stay on the
   * network's scheduler.
   *
   * @throws IllegalStateException if the network is closed
   */
  public Transport newTransport(TransportOptions options) {
    requireNonNull(options, "options");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("in-memory network '" + name + "' is closed");
      }
      clients++;
      InMemoryTransport t =
          new InMemoryTransport(this, options, new Endpoint("inmemory-client-" + clients, 0));
      transports.add(t);
      return t;
    }
  }

  /** The fault injection handle of this network. */
  public Faults faults() {
    return faults;
  }

  /**
   * Calls {@code observer} with every later {@link NetworkEvent} of this network, in order, with
   * the network's lock held (see the class Javadoc). An exception it throws is logged and ignored.
   *
   * @return a handle whose {@link Cancellable#cancel()} stops the calls
   */
  public Cancellable events(Consumer<NetworkEvent> observer) {
    requireNonNull(observer, "observer");
    observers.add(observer);
    AtomicBoolean cancelled = new AtomicBoolean();
    return new Cancellable() {
      @Override
      public boolean cancel() {
        if (!cancelled.compareAndSet(false, true)) {
          return false;
        }
        observers.remove(observer);
        return true;
      }

      @Override
      public boolean isCancelled() {
        return cancelled.get();
      }
    };
  }

  /** The name this network is registered under while open. */
  public String name() {
    return name;
  }

  /** The scheduler {@code transport}'s handlers get their frames on (see {@link #newTransport}). */
  Scheduler handlerScheduler(InMemoryTransport transport) {
    return transport.options().scheduler().orElse(scheduler);
  }

  /** The scheduler every task of this network runs on. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The seed of the network's random decisions. */
  public long seed() {
    return seed;
  }

  /** True until {@link #close()}. */
  public boolean isOpen() {
    synchronized (lock) {
      return !closed;
    }
  }

  /**
   * Closes every transport, forgets the name, and closes the scheduler if it made it. Idempotent.
   */
  @Override
  public void close() {
    List<InMemoryTransport> toClose;
    synchronized (REGISTRY) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true;
        toClose = new ArrayList<>(transports);
      }
      REGISTRY.remove(name, this);
    }
    for (InMemoryTransport t : toClose) {
      t.close();
    }
    if (ownsScheduler) {
      // After the close notifications just submitted, which are due now as well.
      scheduler.execute(scheduler::close);
    }
  }

  @Override
  public String toString() {
    return "InMemoryNetwork[" + name + ", seed=" + seed + "]";
  }

  /**
   * A transport on the open network {@code name}, which is built if needed with {@code
   * options.scheduler()} or else its own {@code Scheduler.system("inmemory-" + name)} and seed 0; a
   * network built here closes itself, with the scheduler it made, when its last transport closes.
   */
  static Transport sharedTransport(String name, TransportOptions options) {
    synchronized (REGISTRY) {
      InMemoryNetwork network = REGISTRY.get(name);
      if (network == null) {
        Optional<Scheduler> given = options.scheduler();
        Builder b = builder().name(name).seed(0);
        b.scheduler(given.isPresent() ? given.get() : Scheduler.system("inmemory-" + name));
        network = b.build(given.isEmpty(), true);
      }
      return network.newTransport(options);
    }
  }

  Object lock() {
    return lock;
  }

  Random random() {
    return random;
  }

  long nanoTime() {
    return scheduler.clock().nanoTime();
  }

  /**
   * Binds {@code endpoint} (port 0: a free port) to a new listener of {@code transport}. Caller
   * holds lock.
   */
  InMemoryListener bind(Endpoint endpoint, InMemoryTransport transport, Transport.Acceptor acceptor)
      throws TransportException {
    if (closed) {
      throw new TransportException(
          "cannot listen on " + endpoint + ": in-memory network '" + name + "' is closed");
    }
    Endpoint bound = endpoint.port() == 0 ? freePort(endpoint.host()) : endpoint;
    if (bindings.containsKey(bound)) {
      throw new TransportException(
          "cannot listen on "
              + bound
              + ": the endpoint is already in use in in-memory network '"
              + name
              + "'");
    }
    InMemoryListener listener = new InMemoryListener(this, transport, bound, acceptor);
    bindings.put(bound, listener);
    return listener;
  }

  /** The listener on {@code endpoint}, or null. Caller holds lock. */
  @Nullable InMemoryListener listenerAt(Endpoint endpoint) {
    return bindings.get(endpoint);
  }

  /** Removes the binding of {@code listener}. Caller holds lock. */
  void unbind(InMemoryListener listener) {
    bindings.remove(listener.endpoint(), listener);
  }

  /** Called by a transport that has closed. Takes the locks itself. */
  void transportClosed(InMemoryTransport transport) {
    synchronized (lock) {
      transports.remove(transport);
    }
    if (!closeWhenIdle) {
      return;
    }
    synchronized (REGISTRY) {
      synchronized (lock) {
        if (closed || !transports.isEmpty()) {
          return;
        }
      }
      close();
    }
  }

  void kill(Endpoint endpoint) {
    synchronized (lock) {
      InMemoryListener listener = bindings.get(endpoint);
      if (listener != null) {
        listener.close();
      }
      for (InMemoryTransport t : new ArrayList<>(transports)) {
        t.killConnectionsFrom(endpoint);
      }
    }
  }

  /** Counts a lost frame on the sender's meters and reports it. Caller holds lock. */
  void lost(TransportMeters senderMeters, String reason, Endpoint from, Endpoint to, int size) {
    faults.countLoss(reason);
    senderMeters.lost(reason);
    emit(NetworkEvent.Type.DROPPED, from, to, size, reason);
  }

  /** Reports an event to the observers. Caller holds lock. */
  void emit(NetworkEvent.Type type, Endpoint from, Endpoint to, int size, String reason) {
    if (observers.isEmpty()) {
      return;
    }
    NetworkEvent event = new NetworkEvent(type, from, to, size, nanoTime(), reason);
    for (Consumer<NetworkEvent> o : observers) {
      try {
        o.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "network event observer " + o + " failed on " + event, e);
      }
    }
  }

  private Endpoint freePort(String host) throws TransportException {
    int candidate = nextPort.getOrDefault(host, FIRST_FREE_PORT);
    for (int i = 0; i <= LAST_PORT - FIRST_FREE_PORT; i++) {
      Endpoint e = new Endpoint(host, candidate);
      candidate = candidate == LAST_PORT ? FIRST_FREE_PORT : candidate + 1;
      if (!bindings.containsKey(e)) {
        nextPort.put(host, candidate);
        return e;
      }
    }
    throw new TransportException(
        "cannot listen on " + host + ":0: no free port left in in-memory network '" + name + "'");
  }

  /**
   * Builds an {@link InMemoryNetwork} and registers it under its name. Not thread-safe.
   *
   * <p>The scheduler is required and stays owned by the caller: closing the network does not close
   * it. The name defaults to a unique {@code "network-<n>"}, the seed to 0.
   */
  public static final class Builder {
    private static int unnamed;

    private @Nullable String name;
    private @Nullable Scheduler scheduler;
    private long seed;

    private Builder() {}

    /** The registry name; not empty. */
    public Builder name(String name) {
      requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("network name must not be empty");
      }
      this.name = name;
      return this;
    }

    /** The scheduler every task of the network runs on; the caller keeps ownership. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The seed of the network's random decisions (drops and delays). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Builds and registers the network.
     *
     * @throws IllegalStateException if no scheduler was set or a network of that name is open
     */
    public InMemoryNetwork build() {
      return build(false, false);
    }

    InMemoryNetwork build(boolean ownsScheduler, boolean closeWhenIdle) {
      if (scheduler == null) {
        throw new IllegalStateException("InMemoryNetwork.Builder: scheduler is required");
      }
      synchronized (REGISTRY) {
        if (name == null) {
          do {
            unnamed++;
            name = "network-" + unnamed;
          } while (REGISTRY.containsKey(name));
        }
        if (REGISTRY.containsKey(name)) {
          throw new IllegalStateException(
              "an in-memory network named '" + name + "' is already open; close it first");
        }
        InMemoryNetwork network = new InMemoryNetwork(this, ownsScheduler, closeWhenIdle);
        REGISTRY.put(name, network);
        return network;
      }
    }
  }
}
