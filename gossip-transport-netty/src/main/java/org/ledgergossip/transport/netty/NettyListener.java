package org.ledgergossip.transport.netty;

import io.netty.channel.Channel;
import java.time.Duration;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Listener;

/**
 * A bound server socket of a {@link NettyTransport}. {@link #close()} stops accepting and, unless
 * called on one of the transport's event loops, waits (bounded) until the socket is closed, so a
 * dial that starts afterwards is refused. Thread-safe.
 */
final class NettyListener implements Listener {

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final NettyTransport transport;
  private final Channel serverChannel;
  private final Endpoint endpoint;

  NettyListener(NettyTransport transport, Channel serverChannel, Endpoint endpoint) {
    this.transport = transport;
    this.serverChannel = serverChannel;
    this.endpoint = endpoint;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    var done = serverChannel.close();
    if (!transport.loops().inEventLoop()) {
      done.awaitUninterruptibly(CLOSE_WAIT.toMillis());
    }
    transport.listenerClosed(this);
  }

  @Override
  public String toString() {
    return "NettyListener[" + endpoint + (serverChannel.isOpen() ? "" : ", closed") + "]";
  }
}
