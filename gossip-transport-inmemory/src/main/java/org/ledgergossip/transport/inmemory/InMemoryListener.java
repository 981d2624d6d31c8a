package org.ledgergossip.transport.inmemory;

import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.Transport;

/** An endpoint bound in an {@link InMemoryNetwork}. Thread-safe (the network's lock). */
final class InMemoryListener implements Listener {

  private final InMemoryNetwork network;
  private final InMemoryTransport transport;
  private final Endpoint endpoint;
  private final Transport.Acceptor acceptor;
  private boolean closed; // guarded by the network's lock

  InMemoryListener(
      InMemoryNetwork network,
      InMemoryTransport transport,
      Endpoint endpoint,
      Transport.Acceptor acceptor) {
    this.network = network;
    this.transport = transport;
    this.endpoint = endpoint;
    this.acceptor = acceptor;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  InMemoryTransport transport() {
    return transport;
  }

  Transport.Acceptor acceptor() {
    return acceptor;
  }

  @Override
  public void close() {
    synchronized (network.lock()) {
      if (closed) {
        return;
      }
      closed = true;
      network.unbind(this);
      transport.listenerClosed(this);
    }
  }

  @Override
  public String toString() {
    return "InMemoryListener[" + endpoint + "]";
  }
}
