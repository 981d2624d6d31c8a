package org.ledgergossip.transport.netty;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TLS connection of a {@link NettyTransport}, dialled or accepted.
 *
 * <p><b>Sending.</b> {@link #send} puts the frame on a lock-free queue and counts it as pending
 * until its bytes are handed to the socket; at {@code sendQueueSize} pending frames it refuses with
 * {@code QUEUE_FULL}. The queue is drained on the event loop while the channel is writable (Netty's
 * outbound buffer is below its high-water mark), so bytes waiting in Netty are bounded too, and
 * frames wait in the queue while the remote does not read.
 *
 * <p><b>Threading.</b> {@link Connection} methods are thread-safe and never block. Everything else
 * runs on the channel's event loop, which is where the handler is called: callbacks are therefore
 * serial, and {@code onClose} (at most once, and only for a connection that was established and
 * handed out) is the last of them.
 */
final class NettyConnection implements Connection {

  private static final Logger LOG = LoggerFactory.getLogger(NettyConnection.class);

  private final NettyTransport transport;
  private final Channel channel;
  private final boolean client;
  private final @Nullable CompletableFuture<Connection> dial;
  private final int maxFrameSize;
  private final int sendQueueSize;
  private final Queue<byte[]> sendQueue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closeRequested = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final ChannelFutureListener writeDone = f -> pending.decrementAndGet();

  private volatile boolean open;
  private volatile boolean localClose;
  private volatile @Nullable Endpoint local;
  private volatile @Nullable Endpoint remote;
  private volatile @Nullable X509Certificate peerCertificate;
  private volatile @Nullable X509Certificate localCertificate;
  private volatile @Nullable String tlsProtocol;

  // Event loop only.
  private @Nullable ConnectionHandler handler;
  private boolean established;
  private boolean inactive;
  private boolean writesStopped;
  private boolean closeNotified;
  private boolean closeNotifyReceived;
  private @Nullable TransportException abortCause;
  private @Nullable ScheduledFuture<?> dialTimer;

  private NettyConnection(
      NettyTransport transport,
      Channel channel,
      boolean client,
      @Nullable Endpoint dialled,
      @Nullable ConnectionHandler handler,
      @Nullable CompletableFuture<Connection> dial) {
    this.transport = transport;
    this.channel = channel;
    this.client = client;
    this.handler = handler;
    this.dial = dial;
    this.maxFrameSize = transport.options().maxFrameSize();
    this.sendQueueSize = transport.options().sendQueueSize();
    this.remote = dialled;
  }

  /** The connection of a channel this side dials to {@code remote}. */
  static NettyConnection dialling(
      NettyTransport transport,
      Channel channel,
      Endpoint remote,
      ConnectionHandler handler,
      CompletableFuture<Connection> dial) {
    return new NettyConnection(transport, channel, true, remote, handler, dial);
  }

  /** The connection of an accepted channel; its handler comes from the acceptor. */
  static NettyConnection accepted(NettyTransport transport, Channel channel) {
    NettyConnection c = new NettyConnection(transport, channel, false, null, null, null);
    c.remote = endpointOf(channel.remoteAddress());
    return c;
  }

  // ---- Connection ----

  @Override
  public Endpoint remoteEndpoint() {
    Endpoint e = remote;
    return e != null ? e : new Endpoint("unknown", 0);
  }

  @Override
  public Endpoint localEndpoint() {
    Endpoint e = local;
    if (e == null) {
      e = endpointOf(channel.localAddress());
      local = e;
    }
    return e != null ? e : new Endpoint("unknown", 0);
  }

  @Override
  public boolean isClient() {
    return client;
  }

  @Override
  public SendResult send(byte[] frame) {
    requireNonNull(frame, "frame");
    if (!open) {
      return SendResult.CLOSED;
    }
    if (frame.length > maxFrameSize) {
      return SendResult.TOO_LARGE;
    }
    if (pending.incrementAndGet() > sendQueueSize) {
      pending.decrementAndGet();
      dropped.incrementAndGet();
      transport.meters().overflow();
      return SendResult.QUEUE_FULL;
    }
    sendQueue.add(frame);
    transport.meters().sent();
    scheduleDrain();
    return SendResult.QUEUED;
  }

  @Override
  public Optional<X509Certificate> peerCertificate() {
    return Optional.ofNullable(peerCertificate);
  }

  @Override
  public Optional<X509Certificate> localCertificate() {
    return Optional.ofNullable(localCertificate);
  }

  @Override
  public long droppedFrames() {
    return dropped.get();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    if (closeRequested.compareAndSet(false, true)) {
      localClose = true;
      open = false;
      try {
        channel.eventLoop().execute(this::closeGracefully);
      } catch (RejectedExecutionException e) {
        var unused = channel.close(); // the event loop is gone, and the channel with it
      }
    }
  }

  /** Writes what {@link #send} accepted, then closes through the SslHandler (close_notify). */
  private void closeGracefully() {
    if (established && !writesStopped && !inactive) {
      byte[] frame;
      while ((frame = sendQueue.poll()) != null) {
        channel.write(Unpooled.wrappedBuffer(frame)).addListener(writeDone);
      }
      channel.flush();
    } else {
      discardQueue();
    }
    var unused = channel.close();
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed.copy();
  }

  @Override
  public String toString() {
    return "NettyConnection["
        + (client ? "dialled " : "accepted from ")
        + remoteEndpoint()
        + ", local "
        + localEndpoint()
        + (open ? "" : ", closed")
        + "]";
  }

  // ---- for the transport and tests ----

  Channel channel() {
    return channel;
  }

  /** The negotiated TLS version, once the handshake is done. */
  @Nullable String tlsProtocol() {
    return tlsProtocol;
  }

  /** Frames accepted by {@link #send} and not yet handed to the socket. */
  int pendingFrames() {
    return pending.get();
  }

  // ---- sending (event loop unless noted) ----

  /** Makes sure a drain runs soon on the event loop. Any thread. */
  void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(this::drain);
      } catch (RejectedExecutionException e) {
        drainScheduled.set(false); // the event loop is shut down: the channel is closed
        discardQueue();
      }
    }
  }

  /** Writes queued frames while the channel is writable, then flushes. */
  void drain() {
    drainScheduled.set(false);
    if (inactive) {
      discardQueue();
      return;
    }
    if (!established || writesStopped) {
      return; // frames wait until established; a failed connection writes nothing more
    }
    boolean wrote = false;
    byte[] frame;
    while (channel.isWritable() && (frame = sendQueue.poll()) != null) {
      channel.write(Unpooled.wrappedBuffer(frame)).addListener(writeDone);
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private void discardQueue() {
    int n = 0;
    while (sendQueue.poll() != null) {
      n++;
    }
    pending.addAndGet(-n);
  }

  // ---- lifecycle, called by ChannelBridge on the event loop ----

  /** Client side: fails the dial if it is not established within the dial timeout from now. */
  void startDialTimer() {
    long millis = transport.options().dialTimeout().toMillis();
    dialTimer =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (!established) {
                    failDial(
                        "timed out after "
                            + millis
                            + " ms (TCP connect, TLS handshake and the server's greeting)");
                    abort(new TransportException("dial to " + remoteEndpoint() + " timed out"));
                  }
                },
                millis,
                TimeUnit.MILLISECONDS);
  }

  /** The TLS handshake succeeded: remembers the certificates. False if they are unusable. */
  boolean handshakeSucceeded(SslHandler ssl) {
    local = endpointOf(channel.localAddress());
    if (!client) {
      remote = endpointOf(channel.remoteAddress());
    }
    SSLSession session = ssl.engine().getSession();
    tlsProtocol = session.getProtocol();
    localCertificate = TlsContexts.toJdk(session.getLocalCertificates());
    if (localCertificate == null) {
      localCertificate = transport.tls().certificate();
    }
    try {
      peerCertificate = TlsContexts.toJdk(session.getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      peerCertificate = null;
    }
    if (peerCertificate == null) {
      abort(new TransportException(remoteEndpoint() + " presented no usable TLS certificate"));
      return false;
    }
    return true;
  }

  /**
   * Server side, before the acceptor runs: {@link #send} may queue frames from now on (they are
   * written once {@link #establish} has sent the greeting). False if a close was requested.
   */
  boolean openForAcceptor() {
    open = !closeRequested.get();
    return open;
  }

  /**
   * Server side: the acceptor gave {@code h}; from now on the handler is called. Client side: the
   * greeting arrived; completes the dial, or closes the connection if the dial was abandoned.
   */
  void establish(@Nullable ConnectionHandler h) {
    if (h != null) {
      handler = h;
    }
    established = true;
    open = !closeRequested.get();
    ScheduledFuture<?> timer = dialTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    if (dial != null && !dial.complete(this)) {
      // Cancelled (or timed out) meanwhile: abandon silently, the handler never hears of it.
      established = false;
      open = false;
      localClose = true;
      closeRequested.set(true);
      var unused = channel.close();
      return;
    }
    drain();
  }

  boolean isEstablished() {
    return established;
  }

  boolean canDeliver() {
    return established && !closeNotified;
  }

  /** Hands one frame to the handler; a throwing handler is logged and the connection stays. */
  void deliver(byte[] frame) {
    ConnectionHandler h = handler;
    if (!established || closeNotified || h == null) {
      return;
    }
    transport.meters().received();
    try {
      h.onFrame(this, frame);
    } catch (RuntimeException e) {
      LOG.warn("handler {} of {} failed in onFrame; the connection stays open", h, this, e);
    }
  }

  void closeNotifyReceived() {
    closeNotifyReceived = true;
    if (closeRequested.compareAndSet(false, true)) {
      open = false;
      var unused = channel.close(); // answer with our own close_notify
    }
  }

  /**
   * Closes for a failure: skips the TLS close_notify (the SslHandler is first in the pipeline, so
   * closing from its context goes straight to the socket), so the remote sees an abrupt close.
   */
  void abort(TransportException cause) {
    if (!localClose && abortCause == null && !inactive) {
      abortCause = cause;
    }
    closeRequested.set(true);
    writesStopped = true;
    open = false;
    failDial(cause.getMessage());
    ChannelHandlerContext ssl = channel.pipeline().context(SslHandler.class);
    if (ssl != null) {
      var unused = ssl.close();
    } else {
      var unused = channel.close();
    }
  }

  /** Fails a pending dial (client side) with {@code reason}; no effect once it completed. */
  void failDial(@Nullable String reason) {
    if (dial != null && !dial.isDone()) {
      String why = reason == null ? "connection closed" : reason;
      if (transport.isClosed()) {
        why = why + " (the transport is closed)";
      }
      dial.completeExceptionally(TransportException.dialFailed(remoteEndpoint(), why));
    }
  }

  /**
   * The channel is closed: tells the handler (once, with the cause) and completes {@link
   * #closeFuture()}. Idempotent; called from channelInactive and again when the pipeline goes.
   */
  void channelClosed() {
    if (inactive) {
      return;
    }
    inactive = true;
    open = false;
    closeRequested.set(true);
    ScheduledFuture<?> timer = dialTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    discardQueue();
    failDial(client ? "closed before " + remoteEndpoint() + " accepted the connection" : "closed");
    transport.connectionClosed(this);
    ConnectionHandler h = handler;
    try {
      if (established && !closeNotified && h != null) {
        closeNotified = true;
        Throwable cause = closeCause();
        try {
          h.onClose(this, cause);
        } catch (RuntimeException e) {
          LOG.warn("handler {} of {} failed in onClose", h, this, e);
        }
      }
    } finally {
      closed.complete(null);
    }
  }

  private @Nullable Throwable closeCause() {
    if (abortCause != null) {
      return abortCause;
    }
    if (localClose || closeNotifyReceived) {
      return null;
    }
    return new TransportException(
        "connection with " + remoteEndpoint() + " closed by the remote without a TLS close_notify");
  }

  static @Nullable Endpoint endpointOf(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return new Endpoint(inet.getHostString(), inet.getPort());
    }
    return null;
  }
}
