package org.ledgergossip.core.internal.comm;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.core.internal.comm.HandshakeException.Reason;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake of one connection, then the pass-through to the connection's real handler.
 *
 * <p>It is the connection's {@link ConnectionHandler} from the start: the first frame must be the
 * remote's {@code ConnEstablish}. {@link #start} sends ours and arms the {@code connTimeout}; the
 * handshake completes when ours is sent and theirs verified, in either order. Frames that arrive
 * after theirs but before completion (at most a few: the remote only sends after it has verified
 * ours) are kept, up to {@value #MAX_EARLY_FRAMES}, and handed on in order.
 *
 * <p><b>Threading.</b> Thread-safe; the transport calls the handler methods serially, {@link
 * #start} may come from another thread (a dial's completion).
 */
public final class Session implements ConnectionHandler {

  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final int MAX_EARLY_FRAMES = 64;

  private final Handshaker handshaker;
  private final boolean probe;
  private final Function<AuthenticatedPeer, ConnectionHandler> next;
  private final CompletableFuture<AuthenticatedPeer> result = new CompletableFuture<>();
  private final Deque<byte[]> early = new ArrayDeque<>();

  // Guarded by this.
  private @Nullable Connection connection;
  private boolean sent;
  private @Nullable AuthenticatedPeer remote;
  private @Nullable ConnectionHandler delegate;
  private @Nullable Cancellable timeout;

  Session(
      Handshaker handshaker, boolean probe, Function<AuthenticatedPeer, ConnectionHandler> next) {
    this.handshaker = handshaker;
    this.probe = probe;
    this.next = next;
  }

  /**
   * Completes with the authenticated remote, or exceptionally with a {@link HandshakeException}.
   */
  public CompletableFuture<AuthenticatedPeer> result() {
    return result.copy();
  }

  /**
   * Sends our {@code ConnEstablish} on {@code connection} and starts the {@code connTimeout}. Call
   * it once: from the acceptor for an accepted connection, when the dial completes for a dialled
   * one.
   */
  public void start(Connection connection) {
    synchronized (this) {
      if (this.connection != null && this.connection != connection) {
        throw new IllegalStateException("a session serves one connection");
      }
      this.connection = connection;
      if (result.isDone()) {
        return;
      }
      timeout =
          handshaker
              .scheduler()
              .schedule(
                  () ->
                      fail(
                          connection,
                          new HandshakeException(
                              Reason.TIMEOUT,
                              "no ConnEstablish within " + handshaker.connTimeout())),
                  handshaker.connTimeout());
    }
    SendResult r = connection.send(handshaker.ownHandshake(connection, probe));
    if (r != SendResult.QUEUED) {
      fail(connection, new HandshakeException(Reason.CLOSED, "could not send our handshake: " + r));
      return;
    }
    synchronized (this) {
      sent = true;
    }
    maybeComplete();
  }

  @Override
  public void onFrame(Connection connection, byte[] frame) {
    ConnectionHandler target;
    synchronized (this) {
      if (this.connection == null) {
        this.connection = connection;
      }
      target = delegate;
      if (target == null) {
        if (result.isDone()) {
          return; // failed or a probe: nothing more is read
        }
        if (remote != null) {
          if (early.size() >= MAX_EARLY_FRAMES) {
            return; // the remote broke the protocol; the bound keeps us safe
          }
          early.add(frame);
          return;
        }
      }
    }
    if (target != null) {
      target.onFrame(connection, frame);
      return;
    }
    try {
      AuthenticatedPeer peer = handshaker.verify(connection, frame, probe);
      synchronized (this) {
        remote = peer;
      }
      maybeComplete();
    } catch (HandshakeException e) {
      fail(connection, e);
    }
  }

  @Override
  public void onClose(Connection connection, @Nullable Throwable cause) {
    ConnectionHandler target;
    synchronized (this) {
      target = delegate;
    }
    if (target != null) {
      target.onClose(connection, cause);
    } else if (!result.isDone()) {
      HandshakeException closed =
          new HandshakeException(
              Reason.CLOSED,
              "connection closed during the handshake" + (cause == null ? "" : ": " + cause));
      if (result.completeExceptionally(closed)) {
        handshaker.countRejection(Reason.CLOSED);
        cancelTimeout();
      }
    }
  }

  private void maybeComplete() {
    AuthenticatedPeer peer;
    Connection c;
    synchronized (this) {
      if (!sent || remote == null || result.isDone()) {
        return;
      }
      peer = remote;
      c = connection;
    }
    cancelTimeout();
    if (peer.probe()) {
      result.complete(peer);
      if (c != null) {
        if (probe) {
          c.close(); // we probed: we have what we came for
        } else {
          // Probed: the prober closes once it has read our handshake; closing first could drop it
          // in flight. A prober that lingers is cut off after connTimeout.
          Connection lingering = c;
          Cancellable unused =
              handshaker.scheduler().schedule(lingering::close, handshaker.connTimeout());
        }
      }
      return;
    }
    ConnectionHandler handler = next.apply(peer);
    byte[][] pending;
    synchronized (this) {
      delegate = handler;
      pending = early.toArray(new byte[0][]);
      early.clear();
    }
    result.complete(peer);
    for (byte[] f : pending) {
      handler.onFrame(peer.connection(), f);
    }
  }

  private void fail(Connection connection, HandshakeException e) {
    if (!result.completeExceptionally(e)) {
      return;
    }
    cancelTimeout();
    handshaker.countRejection(e.reason());
    log.warn(
        "handshake with {} refused ({}): {}",
        connection.remoteEndpoint(),
        e.reason().metricTag(),
        e.getMessage());
    connection.close();
  }

  private void cancelTimeout() {
    Cancellable t;
    synchronized (this) {
      t = timeout;
    }
    if (t != null) {
      t.cancel();
    }
  }
}
