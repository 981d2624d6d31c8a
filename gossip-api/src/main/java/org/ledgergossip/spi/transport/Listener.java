package org.ledgergossip.spi.transport;

import org.ledgergossip.api.Endpoint;

/** A bound, accepting endpoint of a {@link Transport}. Thread-safe. */
public interface Listener extends AutoCloseable {

  /** The endpoint actually bound (with the real port when 0 was asked). */
  Endpoint endpoint();

  /** Stops accepting new connections. Connections already accepted stay open. Idempotent. */
  @Override
  void close();
}
