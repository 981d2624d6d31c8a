package org.ledgergossip.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Transport.Acceptor;
import org.ledgergossip.spi.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound end of a connection's pipeline ({@code tls, [idle], bridge, length-prefixer}): turns
 * TLS events into the connection's lifecycle, the accepting side's greeting, and bytes into frames
 * for the handler.
 *
 * <p><b>Receive queue.</b> Decoded frames wait in an inbox of at most {@code receiveQueueSize}
 * frames and are handed to the handler by a task on the same event loop, one batch per task so that
 * other connections of the loop get their turn. While the inbox is full nothing more is decoded and
 * the channel stops reading ({@code autoRead} off), so a slow handler makes TCP push back on the
 * sender; reading resumes when the inbox has room again.
 *
 * <p>Not sharable; every method runs on the channel's event loop.
 */
final class ChannelBridge extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelBridge.class);

  /** What the accepting side sends after accepting: {@code "LGN"} and protocol version 1. */
  static final int GREETING = 0x4C474E01;

  private final NettyTransport transport;
  private final NettyConnection connection;
  private final @Nullable Acceptor acceptor;
  private final FrameDecoder decoder;
  private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
  private final int capacity;
  private boolean awaitingGreeting;
  private boolean deliveryScheduled;
  private boolean failed;

  ChannelBridge(NettyTransport transport, NettyConnection connection, @Nullable Acceptor acceptor) {
    this.transport = transport;
    this.connection = connection;
    this.acceptor = acceptor;
    this.decoder = new FrameDecoder(transport.options().maxFrameSize());
    this.capacity = transport.options().receiveQueueSize();
    this.awaitingGreeting = connection.isClient();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent handshake) {
      if (handshake.isSuccess()) {
        handshakeSucceeded(ctx);
      } else {
        handshakeFailed(handshake.cause());
      }
    } else if (evt instanceof SslCloseCompletionEvent close) {
      if (close.isSuccess()) {
        connection.closeNotifyReceived();
      }
    } else if (evt instanceof IdleStateEvent) {
      connection.abort(
          new TransportException(
              "no traffic with "
                  + connection.remoteEndpoint()
                  + " for "
                  + transport.config().idleTimeout()
                  + " ("
                  + NettyTransportProvider.IDLE_TIMEOUT_PROPERTY
                  + "); closed"));
    }
    ReferenceCountUtil.release(evt);
  }

  private void handshakeSucceeded(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null || !connection.handshakeSucceeded(ssl)) {
      return;
    }
    if (connection.isClient()) {
      readFrames(ctx); // the greeting may already be here
      return;
    }
    if (!connection.openForAcceptor()) {
      return; // closed while the handshake ran (the transport is closing): never accepted
    }
    ConnectionHandler h;
    try {
      h = acceptor == null ? null : acceptor.accept(connection);
    } catch (RuntimeException e) {
      LOG.warn("acceptor of {} failed for {}; closing it", transport, connection, e);
      connection.abort(new TransportException("refused by the acceptor: " + Failures.describe(e)));
      return;
    }
    if (h == null) {
      LOG.warn("acceptor of {} returned no handler for {}; closing it", transport, connection);
      connection.abort(new TransportException("refused by the acceptor: no handler"));
      return;
    }
    // Written from here, below the length prefixer; a failure closes the connection.
    ctx.writeAndFlush(ctx.alloc().buffer(4).writeInt(GREETING))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    connection.establish(h);
    readFrames(ctx);
  }

  private void handshakeFailed(Throwable cause) {
    if (connection.isClient()) {
      connection.failDial("TLS handshake failed: " + Failures.describe(cause));
    } else {
      String reason = Failures.handshakeReason(cause);
      transport.meters().handshakeFailed(reason);
      LOG.warn(
          "TLS handshake with {} failed ({}): {}",
          connection.remoteEndpoint(),
          reason,
          Failures.describe(cause));
    }
    connection.abort(new TransportException("TLS handshake failed: " + Failures.describe(cause)));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf) || failed) {
      ReferenceCountUtil.release(msg);
      return;
    }
    decoder.add(ctx.alloc(), buf);
    readFrames(ctx);
  }

  /** Decodes into the inbox up to its capacity and makes sure a delivery is scheduled. */
  private void readFrames(ChannelHandlerContext ctx) {
    if (failed) {
      return;
    }
    try {
      if (awaitingGreeting) {
        Integer greeting = decoder.readInt();
        if (greeting == null) {
          return;
        }
        if (greeting != GREETING) {
          throw new TransportException(
              connection.remoteEndpoint()
                  + " is not a ledgergossip netty transport (greeting 0x"
                  + Integer.toHexString(greeting)
                  + ")");
        }
        awaitingGreeting = false;
        connection.establish(null);
      }
      if (!connection.isEstablished()) {
        return;
      }
      byte[] frame;
      while (inbox.size() < capacity && (frame = decoder.next()) != null) {
        inbox.add(frame);
      }
    } catch (TransportException e) {
      failed = true;
      decoder.release();
      connection.abort(
          new TransportException(
              e.getMessage() + ", received from " + connection.remoteEndpoint()));
      // The frames decoded before the bad one are still delivered, before onClose.
    }
    if (inbox.size() >= capacity && !failed && ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
    }
    if (!inbox.isEmpty() && !deliveryScheduled) {
      deliveryScheduled = true;
      ctx.executor().execute(() -> deliver(ctx));
    }
  }

  /** Hands the current inbox to the handler, refills it, and resumes reading if there is room. */
  private void deliver(ChannelHandlerContext ctx) {
    deliveryScheduled = false;
    for (int n = inbox.size(); n > 0 && connection.canDeliver(); n--) {
      connection.deliver(inbox.poll());
    }
    readFrames(ctx);
    if (inbox.size() < capacity
        && !failed
        && ctx.channel().isActive()
        && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      connection.drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!connection.isEstablished()) {
      // The handshake failure is counted and logged by handshakeFailed; this is the same failure
      // or one after the handshake that the client sees when the server refuses its certificate.
      LOG.debug("{} failed before it was established", connection, cause);
      connection.failDial(
          "refused after the TLS handshake (does the server trust this side's certificate?): "
              + Failures.describe(cause));
      connection.abort(new TransportException(Failures.describe(cause), cause));
      return;
    }
    LOG.debug("{} failed", connection, cause);
    connection.abort(
        new TransportException(
            "connection with "
                + connection.remoteEndpoint()
                + " failed: "
                + Failures.describe(cause),
            cause));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connection.isEstablished()) {
      // Deliver everything that arrived complete before the close, then onClose.
      try {
        byte[] frame;
        while (connection.canDeliver() && (frame = next()) != null) {
          connection.deliver(frame);
        }
      } catch (TransportException e) {
        LOG.debug("{}: undecodable bytes at close: {}", connection, e.getMessage());
      }
    }
    inbox.clear();
    decoder.release();
    connection.channelClosed();
    ctx.fireChannelInactive();
  }

  private byte @Nullable [] next() throws TransportException {
    byte[] frame = inbox.poll();
    return frame != null || failed ? frame : decoder.next();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    inbox.clear();
    decoder.release();
    connection.channelClosed();
  }
}
