package org.ledgergossip.transport.netty;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over TCP with mutual TLS, on its own {@link EventLoops}. Listeners and
 * connections are tracked in concurrent sets. {@link #close()} closes them gracefully (queued
 * frames are written, then close_notify), waits up to 5 s until their handlers have seen the close
 * and up to 5 s more until its threads have ended, then frees the TLS contexts; called on one of
 * its own event loops (from a handler) it starts all that and returns without waiting. Thread-safe;
 * {@link #listen} waits for the bind, everything else is asynchronous.
 */
final class NettyTransport implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static final long CLOSE_NOTIFY_FLUSH_MILLIS = 1_000;
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
  private static final LengthFieldPrepender LENGTH_PREFIXER = new LengthFieldPrepender(4);

  private final String name;
  private final TransportOptions options;
  private final TlsCredentials tls;
  private final NettyConfig config;
  private final TransportMeters meters;
  private final TlsContexts contexts;
  private final EventLoops loops;
  private final Set<NettyListener> listeners = ConcurrentHashMap.newKeySet();
  private final Set<NettyConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private NettyTransport(
      String name,
      TransportOptions options,
      TlsCredentials tls,
      NettyConfig config,
      TlsContexts contexts) {
    this.name = name;
    this.options = options;
    this.tls = tls;
    this.config = config;
    this.contexts = contexts;
    this.meters = new TransportMeters(options.meterRegistry());
    this.loops = new EventLoops(name + "-", config.ioThreads(), config.epoll());
  }

  static NettyTransport create(TransportOptions options, TlsCredentials tls, NettyConfig config)
      throws TransportException {
    String name = "gossip-netty-" + IDS.incrementAndGet();
    NettyTransport t =
        new NettyTransport(name, options, tls, config, TlsContexts.build(tls, config));
    LOG.info(
        "{}: TLS engine {}, protocols {}, {} event loops with {} I/O threads, idle timeout {}",
        name,
        config.tlsEngine().description(),
        config.tlsProtocols(),
        config.epoll() ? "epoll" : "NIO",
        config.ioThreads(),
        config.idleTimeout() == null ? "none" : config.idleTimeout());
    return t;
  }

  @Override
  public Listener listen(Endpoint endpoint, Acceptor acceptor) throws TransportException {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(acceptor, "acceptor");
    if (closed.get()) {
      throw new TransportException("cannot listen on " + endpoint + ": the transport is closed");
    }
    InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
    if (address.isUnresolved()) {
      throw new TransportException("cannot listen on " + endpoint + ": unknown host");
    }
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops.boss(), loops.workers())
            .channel(loops.serverChannelClass())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    initAccepted(ch, acceptor);
                  }
                });
    ChannelFuture bind = bootstrap.bind(address);
    if (!bind.awaitUninterruptibly(CLOSE_WAIT.toMillis())) {
      var unused = bind.channel().close();
      throw new TransportException("cannot listen on " + endpoint + ": bind timed out");
    }
    if (!bind.isSuccess()) {
      throw new TransportException(
          "cannot listen on " + endpoint + ": " + Failures.describe(bind.cause()), bind.cause());
    }
    InetSocketAddress bound = (InetSocketAddress) bind.channel().localAddress();
    NettyListener listener =
        new NettyListener(this, bind.channel(), new Endpoint(endpoint.host(), bound.getPort()));
    listeners.add(listener);
    if (closed.get()) {
      listener.close();
      throw new TransportException("cannot listen on " + endpoint + ": the transport is closed");
    }
    LOG.debug("{}: listening on {}", name, listener.endpoint());
    return listener;
  }

  private void initAccepted(Channel ch, Acceptor acceptor) {
    NettyConnection connection = NettyConnection.accepted(this, ch);
    connections.add(connection);
    if (closed.get()) {
      var unused = ch.close();
      return;
    }
    SslHandler ssl = contexts.server().newHandler(ch.alloc());
    initPipeline(ch.pipeline(), ssl, new ChannelBridge(this, connection, acceptor));
  }

  @Override
  public CompletableFuture<Connection> dial(Endpoint remote, ConnectionHandler handler) {
    requireNonNull(remote, "remote");
    requireNonNull(handler, "handler");
    CompletableFuture<Connection> future = new CompletableFuture<>();
    if (closed.get()) {
      future.completeExceptionally(
          TransportException.dialFailed(remote, "the transport is closed"));
      return future;
    }
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loops.workers())
            .channel(loops.channelClass())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, options.dialTimeout().toMillis()))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    initDialled(ch, remote, handler, future);
                  }
                });
    ChannelFuture connect;
    try {
      connect = bootstrap.connect(remote.host(), remote.port());
    } catch (RuntimeException e) {
      future.completeExceptionally(TransportException.dialFailed(remote, Failures.describe(e)));
      return future;
    }
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            String why = Failures.describe(f.cause());
            future.completeExceptionally(
                TransportException.dialFailed(
                    remote, closed.get() ? why + " (the transport is closed)" : why));
          }
        });
    var unused =
        future.whenComplete(
            (c, e) -> {
              if (future.isCancelled()) {
                closeChannel(connect.channel());
              }
            });
    return future;
  }

  private void initDialled(
      Channel ch, Endpoint remote, ConnectionHandler handler, CompletableFuture<Connection> dial) {
    NettyConnection connection = NettyConnection.dialling(this, ch, remote, handler, dial);
    connections.add(connection);
    if (closed.get()) {
      var unused = ch.close();
      return;
    }
    connection.startDialTimer();
    SslHandler ssl = contexts.client().newHandler(ch.alloc(), remote.host(), remote.port());
    initPipeline(ch.pipeline(), ssl, new ChannelBridge(this, connection, null));
  }

  private void initPipeline(ChannelPipeline pipeline, SslHandler ssl, ChannelBridge bridge) {
    ssl.setHandshakeTimeoutMillis(options.dialTimeout().toMillis());
    ssl.setCloseNotifyFlushTimeoutMillis(CLOSE_NOTIFY_FLUSH_MILLIS);
    pipeline.addLast("tls", ssl); // first: see NettyConnection.abort
    Duration idle = config.idleTimeout();
    if (idle != null) {
      pipeline.addLast("idle", new IdleStateHandler(0, 0, idle.toNanos(), TimeUnit.NANOSECONDS));
    }
    pipeline.addLast("bridge", bridge);
    pipeline.addLast("length-prefix", LENGTH_PREFIXER);
  }

  @Override
  public TransportOptions options() {
    return options;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (NettyListener l : new ArrayList<>(listeners)) {
      l.close();
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (NettyConnection c : new ArrayList<>(connections)) {
      closing.add(c.closeFuture());
      c.close();
    }
    boolean wait = !loops.inEventLoop(); // a handler closing its own transport cannot wait
    if (wait) {
      try {
        CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
            .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("{}: connections did not close within {}; shutting down anyway", name, CLOSE_WAIT);
      }
    }
    boolean ended = loops.shutdown(CLOSE_WAIT, wait);
    contexts.release(); // engines of channels still closing hold their own references
    if (wait && !ended) {
      LOG.warn("{}: event loop threads still running {} after close", name, CLOSE_WAIT);
    }
    LOG.debug("{}: closed", name);
  }

  @Override
  public String toString() {
    return "NettyTransport[" + name + (closed.get() ? ", closed" : "") + "]";
  }

  // ---- for connections, listeners and tests ----

  TransportMeters meters() {
    return meters;
  }

  NettyConfig config() {
    return config;
  }

  TlsCredentials tls() {
    return tls;
  }

  EventLoops loops() {
    return loops;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** The engine this transport runs TLS on. */
  TlsEngine tlsEngine() {
    return config.tlsEngine();
  }

  /** Every thread of this transport has a name starting with this. */
  String threadNamePrefix() {
    return loops.threadPrefix();
  }

  /** Connections open or being set up, for tests. */
  Set<NettyConnection> connections() {
    return Set.copyOf(connections);
  }

  void connectionClosed(NettyConnection connection) {
    connections.remove(connection);
  }

  void listenerClosed(NettyListener listener) {
    listeners.remove(listener);
  }

  /** Starts closing {@code ch}; what follows is seen through its pipeline. */
  private static void closeChannel(Channel ch) {
    var unused = ch.close();
  }
}
