package org.ledgergossip.transport.inmemory;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/**
 * A {@link Transport} of an {@link InMemoryNetwork}. Its identity for partitions and kills is its
 * first listening endpoint, or a synthetic {@code inmemory-client-<n>:0} while it listens nowhere.
 * Thread-safe: state is guarded by the network's lock.
 */
final class InMemoryTransport implements Transport {

  private static final System.Logger LOG = System.getLogger(InMemoryTransport.class.getName());

  private final InMemoryNetwork network;
  private final TransportOptions options;
  private final TransportMeters meters;
  private final Endpoint clientEndpoint;

  // Guarded by the network's lock.
  private final Set<InMemoryListener> listeners = new LinkedHashSet<>();
  private final Set<ConnectionSide> connections = new LinkedHashSet<>();
  private final Set<PendingDial> dials = new LinkedHashSet<>();
  private boolean closed;

  InMemoryTransport(InMemoryNetwork network, TransportOptions options, Endpoint clientEndpoint) {
    this.network = network;
    this.options = options;
    this.meters = new TransportMeters(options.meterRegistry());
    this.clientEndpoint = clientEndpoint;
  }

  @Override
  public Listener listen(Endpoint endpoint, Acceptor acceptor) throws TransportException {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(acceptor, "acceptor");
    synchronized (network.lock()) {
      if (closed) {
        throw new TransportException("cannot listen on " + endpoint + ": the transport is closed");
      }
      InMemoryListener listener = network.bind(endpoint, this, acceptor);
      listeners.add(listener);
      return listener;
    }
  }

  @Override
  public CompletableFuture<Connection> dial(Endpoint remote, ConnectionHandler handler) {
    requireNonNull(remote, "remote");
    requireNonNull(handler, "handler");
    CompletableFuture<Connection> future = new CompletableFuture<>();
    Runnable failure = null;
    synchronized (network.lock()) {
      PendingDial dial = new PendingDial(remote, handler, future, network.nanoTime());
      dials.add(dial);
      if (closed) {
        failure = fail(dial, "the transport is closed");
      } else {
        network.scheduler().execute(() -> completeDial(dial));
      }
    }
    if (failure != null) {
      failure.run();
    }
    return future;
  }

  @Override
  public TransportOptions options() {
    return options;
  }

  @Override
  public void close() {
    List<Runnable> failures = new ArrayList<>();
    synchronized (network.lock()) {
      if (closed) {
        return;
      }
      closed = true;
      for (InMemoryListener l : new ArrayList<>(listeners)) {
        l.close();
      }
      for (ConnectionSide side : new ArrayList<>(connections)) {
        side.connection.closeLocked(side, null, null, "transport of " + side.local + " closed");
      }
      for (PendingDial dial : new ArrayList<>(dials)) {
        failures.add(fail(dial, "the transport is closed"));
      }
    }
    failures.forEach(Runnable::run);
    network.transportClosed(this);
  }

  @Override
  public String toString() {
    synchronized (network.lock()) {
      return "InMemoryTransport[" + identity() + ", network=" + network.name() + "]";
    }
  }

  TransportMeters meters() {
    return meters;
  }

  /** Called by a listener that closed. Caller holds the lock. */
  void listenerClosed(InMemoryListener listener) {
    listeners.remove(listener);
  }

  /** Called by a connection that closed. Caller holds the lock. */
  void connectionClosed(ConnectionSide side) {
    connections.remove(side);
  }

  /** Kills every connection whose local endpoint is {@code endpoint}. Caller holds the lock. */
  void killConnectionsFrom(Endpoint endpoint) {
    for (ConnectionSide side : new ArrayList<>(connections)) {
      if (side.local.equals(endpoint)) {
        String message = "connection reset by kill of " + endpoint;
        side.connection.closeLocked(
            side, new TransportException(message), new TransportException(message), "kill");
      }
    }
  }

  /** The endpoint this transport dials from. Caller holds the lock. */
  private Endpoint identity() {
    return listeners.isEmpty() ? clientEndpoint : listeners.iterator().next().endpoint();
  }

  /** The dial's outcome, decided on the scheduler one turn after {@link #dial}. */
  private void completeDial(PendingDial dial) {
    Runnable next;
    synchronized (network.lock()) {
      next = connectLocked(dial);
    }
    if (next != null) {
      next.run();
    }
  }

  /**
   * Decides a pending dial: black hole (partition), refused, TLS failure or connected. Caller holds
   * the lock.
   *
   * @return what to run once the lock is released (complete the future, call the acceptor), or null
   */
  private @Nullable Runnable connectLocked(PendingDial dial) {
    if (!dials.contains(dial)) {
      return null;
    }
    Endpoint local = identity();
    if (network.faults().partitioned(local, dial.remote)) {
      long elapsed = network.nanoTime() - dial.startNanos;
      long remaining = Math.max(0, options.dialTimeout().toNanos() - elapsed);
      String reason = "timed out after " + options.dialTimeout();
      dial.timeout =
          network.scheduler().schedule(() -> timeout(dial, reason), Duration.ofNanos(remaining));
      return null;
    }
    InMemoryListener listener = network.listenerAt(dial.remote);
    if (listener == null) {
      return fail(dial, "connection refused");
    }
    InMemoryTransport server = listener.transport();
    String tlsFailure = TlsHandshake.failure(options.tls(), server.options().tls());
    if (tlsFailure != null) {
      return fail(dial, tlsFailure);
    }
    dials.remove(dial);
    InMemoryConnection connection =
        new InMemoryConnection(network, this, local, dial.handler, server, dial.remote);
    connections.add(connection.client);
    server.connections.add(connection.server);
    Acceptor acceptor = listener.acceptor();
    network.emit(NetworkEvent.Type.CONNECTED, local, dial.remote, 0, "");
    return () -> accept(dial, connection, acceptor);
  }

  /** Asks the acceptor for the server side's handler, then completes the dial. */
  private void accept(PendingDial dial, InMemoryConnection connection, Acceptor acceptor) {
    ConnectionHandler serverHandler;
    try {
      serverHandler = requireNonNull(acceptor.accept(connection.server), "acceptor returned null");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "acceptor of " + dial.remote + " failed", e);
      synchronized (network.lock()) {
        connection.abortLocked("acceptor failed");
      }
      dial.future.completeExceptionally(
          TransportException.dialFailed(
              dial.remote, "connection reset: the remote's acceptor failed: " + e));
      return;
    }
    connection.setServerHandler(serverHandler);
    if (!dial.future.complete(connection.client)) {
      // The caller cancelled the dial: nobody holds the client side.
      connection.client.close();
    }
  }

  private void timeout(PendingDial dial, String reason) {
    Runnable failure = null;
    synchronized (network.lock()) {
      if (dials.contains(dial)) {
        failure = fail(dial, reason);
      }
    }
    if (failure != null) {
      failure.run();
    }
  }

  /**
   * Fails {@code dial} (still pending) and returns what completes its future, to be run once the
   * lock is released so that the future's dependents never run with it held. Caller holds the lock.
   */
  private Runnable fail(PendingDial dial, String reason) {
    dials.remove(dial);
    Cancellable timeout = dial.timeout;
    if (timeout != null) {
      timeout.cancel();
    }
    network.emit(NetworkEvent.Type.DIAL_FAILED, identity(), dial.remote, 0, reason);
    TransportException failure = TransportException.dialFailed(dial.remote, reason);
    return () -> dial.future.completeExceptionally(failure);
  }

  private static final class PendingDial {
    final Endpoint remote;
    final ConnectionHandler handler;
    final CompletableFuture<Connection> future;
    final long startNanos;
    @Nullable Cancellable timeout; // guarded by the network's lock

    PendingDial(
        Endpoint remote,
        ConnectionHandler handler,
        CompletableFuture<Connection> future,
        long startNanos) {
      this.remote = remote;
      this.handler = handler;
      this.future = future;
      this.startNanos = startNanos;
    }
  }
}
