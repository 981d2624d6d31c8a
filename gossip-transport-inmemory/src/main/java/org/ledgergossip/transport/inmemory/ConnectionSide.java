package org.ledgergossip.transport.inmemory;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * One end of an {@link InMemoryConnection}: what one transport sees. Thread-safe; the mutable
 * fields are guarded by the network's lock and used by {@link InMemoryConnection}.
 */
final class ConnectionSide implements Connection {

  final InMemoryConnection connection;
  final InMemoryTransport transport;
  final Endpoint local;
  final Endpoint remote;
  final boolean client;
  final CompletableFuture<Void> closed = new CompletableFuture<>();

  // Guarded by the network's lock.
  /** Frames this side sent that wait for room at the peer; at most sendQueueSize. */
  final ArrayDeque<byte[]> sendQueue = new ArrayDeque<>();

  /** Frames on the wire to this side, in order; their delivery tasks are scheduled. */
  final ArrayDeque<byte[]> inFlight = new ArrayDeque<>();

  /** Frames in flight to this side plus the one its handler is processing. */
  int inbound;

  /** Arrival time of the last frame put on the wire to this side (FIFO under delay). */
  long lastArrivalNanos = Long.MIN_VALUE;

  long dropped;
  @Nullable ConnectionHandler handler;

  /**
   * This side asked for an orderly close while frames it sent were still queued or in flight: it
   * sends nothing more, and the connection closes once those frames are delivered (or lost).
   */
  boolean closing;

  ConnectionSide(
      InMemoryConnection connection,
      InMemoryTransport transport,
      Endpoint local,
      Endpoint remote,
      boolean client,
      @Nullable ConnectionHandler handler) {
    this.connection = connection;
    this.transport = transport;
    this.local = local;
    this.remote = remote;
    this.client = client;
    this.handler = handler;
  }

  ConnectionSide peer() {
    return connection.peerOf(this);
  }

  int sendCapacity() {
    return transport.options().sendQueueSize();
  }

  int receiveCapacity() {
    return transport.options().receiveQueueSize();
  }

  @Override
  public Endpoint remoteEndpoint() {
    return remote;
  }

  @Override
  public Endpoint localEndpoint() {
    return local;
  }

  @Override
  public boolean isClient() {
    return client;
  }

  @Override
  public SendResult send(byte[] frame) {
    return connection.send(this, requireNonNull(frame, "frame"));
  }

  @Override
  public Optional<X509Certificate> peerCertificate() {
    return peer().localCertificate();
  }

  @Override
  public Optional<X509Certificate> localCertificate() {
    return transport.options().tls().map(TlsCredentials::certificate);
  }

  @Override
  public long droppedFrames() {
    synchronized (connection.lock()) {
      return dropped;
    }
  }

  @Override
  public boolean isOpen() {
    return connection.isOpen(this);
  }

  @Override
  public void close() {
    connection.close(this);
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed.copy();
  }

  @Override
  public String toString() {
    return "InMemoryConnection[" + local + (client ? " -> " : " <- ") + remote + "]";
  }
}
