package org.ledgergossip.transport.inmemory;

import java.lang.System.Logger.Level;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TransportException;

/**
 * A connection between two transports of one {@link InMemoryNetwork}: two {@link ConnectionSide}s
 * and the frames moving between them.
 *
 * <p>A frame sent on one side waits in that side's send queue until the peer has room in its
 * receive window, is then put on the wire (where {@link Faults} may lose or delay it) and delivered
 * by a scheduler task that takes the head of the peer's in-flight queue, so frames of one direction
 * arrive in order whatever the order the scheduler runs those tasks in. The receive slot is freed
 * when the handler's {@code onFrame} returns, which pulls the next frame from the send queue.
 *
 * <p>Thread-safe: state is guarded by the network's lock; handlers are called without it, on the
 * network's scheduler or, for frames, on the receiving transport's own scheduler when it has one
 * (see {@link InMemoryNetwork#newTransport}).
 */
final class InMemoryConnection {

  private static final System.Logger LOG = System.getLogger(InMemoryConnection.class.getName());

  private final InMemoryNetwork network;
  final ConnectionSide client;
  final ConnectionSide server;
  private boolean closed; // guarded by the network's lock

  InMemoryConnection(
      InMemoryNetwork network,
      InMemoryTransport clientTransport,
      Endpoint clientEndpoint,
      ConnectionHandler clientHandler,
      InMemoryTransport serverTransport,
      Endpoint serverEndpoint) {
    this.network = network;
    this.client =
        new ConnectionSide(
            this, clientTransport, clientEndpoint, serverEndpoint, true, clientHandler);
    this.server =
        new ConnectionSide(this, serverTransport, serverEndpoint, clientEndpoint, false, null);
  }

  Object lock() {
    return network.lock();
  }

  ConnectionSide peerOf(ConnectionSide side) {
    return side == client ? server : client;
  }

  boolean isOpen() {
    synchronized (network.lock()) {
      return !closed;
    }
  }

  /** Open as seen from {@code side}: not closed, and {@code side} has not asked to close. */
  boolean isOpen(ConnectionSide side) {
    synchronized (network.lock()) {
      return !closed && !side.closing;
    }
  }

  void setServerHandler(ConnectionHandler handler) {
    synchronized (network.lock()) {
      server.handler = handler;
    }
  }

  SendResult send(ConnectionSide from, byte[] frame) {
    synchronized (network.lock()) {
      if (closed || from.closing) {
        return SendResult.CLOSED;
      }
      if (frame.length > from.transport.options().maxFrameSize()) {
        return SendResult.TOO_LARGE;
      }
      ConnectionSide to = from.peer();
      if (from.sendQueue.isEmpty() && to.inbound < to.receiveCapacity()) {
        transmit(from, frame);
      } else if (from.sendQueue.size() < from.sendCapacity()) {
        from.sendQueue.add(frame);
      } else {
        from.dropped++;
        from.transport.meters().overflow();
        network.emit(NetworkEvent.Type.DROPPED, from.local, to.local, frame.length, "queue-full");
        return SendResult.QUEUE_FULL;
      }
      from.transport.meters().sent();
      return SendResult.QUEUED;
    }
  }

  /**
   * Closes the connection in an orderly way, as asked by {@code side}: like TCP's FIN, frames
   * {@code side} has already sent are delivered (or lost to faults) before the peer sees the close.
   */
  void close(ConnectionSide side) {
    synchronized (network.lock()) {
      if (closed || side.closing) {
        return;
      }
      side.closing = true;
      closeIfDrained(side);
    }
  }

  /** Completes an orderly close once nothing {@code side} sent is left. Caller holds the lock. */
  private void closeIfDrained(ConnectionSide side) {
    if (side.closing && side.sendQueue.isEmpty() && side.peer().inFlight.isEmpty()) {
      closeLocked(side, null, null, "closed by " + side.local);
    }
  }

  /**
   * Closes the connection and schedules each side's {@code onClose}, initiator first. Caller holds
   * the network's lock.
   *
   * @return false if it was already closed
   */
  boolean closeLocked(
      ConnectionSide initiator,
      @Nullable Throwable initiatorCause,
      @Nullable Throwable peerCause,
      String reason) {
    if (!markClosed()) {
      return false;
    }
    ConnectionSide peer = initiator.peer();
    network.emit(NetworkEvent.Type.CLOSED, initiator.local, peer.local, 0, reason);
    network.scheduler().execute(() -> notifyClosed(initiator, initiatorCause));
    network.scheduler().execute(() -> notifyClosed(peer, peerCause));
    return true;
  }

  /**
   * Closes a connection whose acceptor failed: neither handler is told, both close futures
   * complete. Caller holds the network's lock.
   */
  void abortLocked(String reason) {
    if (markClosed()) {
      network.emit(NetworkEvent.Type.CLOSED, server.local, client.local, 0, reason);
    }
    client.closed.complete(null);
    server.closed.complete(null);
  }

  private boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    for (ConnectionSide side : new ConnectionSide[] {client, server}) {
      side.sendQueue.clear();
      side.inFlight.clear();
      side.inbound = 0;
      side.transport.connectionClosed(side);
    }
    return true;
  }

  /** Puts {@code frame} on the wire from {@code from} to its peer. Caller holds the lock. */
  private void transmit(ConnectionSide from, byte[] frame) {
    ConnectionSide to = from.peer();
    String loss = network.faults().lossReason(from.local, to.local, network.random());
    if (loss != null) {
      network.lost(from.transport.meters(), loss, from.local, to.local, frame.length);
      closeIfDrained(from);
      return;
    }
    long now = network.nanoTime();
    long arrival =
        Math.max(now + network.faults().delayNanos(network.random()), to.lastArrivalNanos);
    to.lastArrivalNanos = arrival;
    to.inbound++;
    to.inFlight.add(frame);
    network.scheduler().schedule(() -> deliverNext(to), Duration.ofNanos(arrival - now));
  }

  /** Moves frames from {@code from}'s send queue to the wire while its peer has room. */
  private void pump(ConnectionSide from) {
    ConnectionSide to = from.peer();
    while (!closed && !from.sendQueue.isEmpty() && to.inbound < to.receiveCapacity()) {
      transmit(from, from.sendQueue.poll());
    }
  }

  /** Delivers the oldest frame in flight to {@code to}; a scheduler task. */
  private void deliverNext(ConnectionSide to) {
    byte[] frame;
    ConnectionHandler handler;
    synchronized (network.lock()) {
      if (closed || to.inFlight.isEmpty()) {
        return;
      }
      frame = to.inFlight.poll();
      ConnectionSide from = to.peer();
      if (network.faults().partitioned(from.local, to.local)) {
        to.inbound--;
        network.lost(
            from.transport.meters(),
            Faults.LostReason.PARTITION,
            from.local,
            to.local,
            frame.length);
        pump(from);
        closeIfDrained(from);
        return;
      }
      int max = to.transport.options().maxFrameSize();
      if (frame.length > max) {
        network.emit(NetworkEvent.Type.DROPPED, from.local, to.local, frame.length, "too-large");
        String what =
            "frame of " + frame.length + " bytes exceeds the maximum of " + max + " bytes";
        closeLocked(
            to,
            new TransportException(what + ", received from " + from.local + " on " + to.local),
            new TransportException("connection reset by " + to.local + ": " + what),
            what);
        return;
      }
      handler = to.handler;
      to.transport.meters().received();
      network.emit(NetworkEvent.Type.DELIVERED, from.local, to.local, frame.length, "");
    }
    Scheduler own = network.handlerScheduler(to.transport);
    if (own == network.scheduler()) {
      handOver(to, handler, frame);
    } else {
      // Deliveries of one direction reach the receiver's serial scheduler in arrival order.
      try {
        own.execute(() -> handOver(to, handler, frame));
      } catch (RuntimeException closedScheduler) {
        handOver(to, handler, frame); // its owner is shutting down: deliver here, as before
      }
    }
  }

  /** Calls {@code to}'s handler with {@code frame}, then frees its receive slot. */
  private void handOver(ConnectionSide to, @Nullable ConnectionHandler handler, byte[] frame) {
    if (handler == null) {
      LOG.log(Level.WARNING, () -> to + " has no handler; frame dropped");
    } else {
      try {
        handler.onFrame(to, frame);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "handler " + handler + " of " + to + " failed in onFrame", e);
      }
    }
    synchronized (network.lock()) {
      if (!closed) {
        to.inbound--;
        pump(to.peer());
        closeIfDrained(to.peer());
      }
    }
  }

  /** Tells {@code side}'s handler that the connection closed; a scheduler task. */
  private void notifyClosed(ConnectionSide side, @Nullable Throwable cause) {
    ConnectionHandler handler;
    synchronized (network.lock()) {
      handler = side.handler;
    }
    try {
      if (handler != null) {
        handler.onClose(side, cause);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "handler " + handler + " of " + side + " failed in onClose", e);
    } finally {
      side.closed.complete(null);
    }
  }
}
