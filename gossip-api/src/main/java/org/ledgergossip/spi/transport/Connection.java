package org.ledgergossip.spi.transport;

import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ledgergossip.api.Endpoint;

/**
 * One bidirectional, ordered, reliable stream of frames between two endpoints.
 *
 * <p><b>Ordering.</b> Frames sent on a connection arrive at the remote handler complete and in the
 * order {@link #send} accepted them, or not at all if the connection closes first. Frames of
 * different connections are not ordered with each other.
 *
 * <p><b>Backpressure.</b> Each connection has a bounded send queue; when it is full {@link #send}
 * returns {@link SendResult#QUEUE_FULL} at once and the frame is dropped and counted ({@link
 * #droppedFrames()}). A slow remote handler makes frames wait in its bounded receive queue, then in
 * this send queue — never in unbounded memory.
 *
 * <p><b>Limits.</b> A frame larger than {@link TransportOptions#maxFrameSize()} is refused by
 * {@link #send}; a receiver that sees a frame announced larger than its own limit closes the
 * connection with a {@link TransportException} before allocating it, and the sender's handler sees
 * that close with a {@link TransportException} cause.
 *
 * <p>All methods are thread-safe and non-blocking.
 */
public interface Connection {

  /** The remote endpoint: the dialled endpoint, or the address the connection came from. */
  Endpoint remoteEndpoint();

  /** The local endpoint of this connection. */
  Endpoint localEndpoint();

  /** True for a connection this side dialled, false for one it accepted. */
  boolean isClient();

  /**
   * Queues {@code frame} for sending. The caller must not modify the array afterwards.
   *
   * @return what was done with the frame; never throws for a closed connection or a full queue
   */
  SendResult send(byte[] frame);

  /**
   * The certificate the remote presented in the TLS handshake, if the transport authenticates
   * peers. The core binds it to the remote gossip identity in its own handshake.
   */
  Optional<X509Certificate> peerCertificate();

  /** The certificate this side presented in the TLS handshake, if any. */
  Optional<X509Certificate> localCertificate();

  /** Frames dropped by this connection since it opened (send queue overflow). */
  long droppedFrames();

  /** True until the connection is closed by either side. */
  boolean isOpen();

  /**
   * Closes the connection in an orderly way, like TCP's FIN: frames this side's {@link #send}
   * already accepted are delivered before the remote sees the close (unless the connection fails
   * first); from this call on, {@link #send} returns {@link SendResult#CLOSED} and {@link #isOpen}
   * false. Both sides' handlers then see {@link ConnectionHandler#onClose}. Idempotent.
   *
   * <p>A protocol can therefore send a last message and close at once (Fabric's probe handshake
   * does).
   */
  void close();

  /**
   * Completes (normally) once the connection is closed and its handler has seen the close. Callers
   * only observe it: completing it has no effect on the connection (implementations may return a
   * copy).
   */
  CompletableFuture<Void> closeFuture();
}
