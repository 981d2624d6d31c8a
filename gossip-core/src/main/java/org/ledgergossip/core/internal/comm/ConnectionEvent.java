package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;

/**
 * An authenticated connection of a {@link Comm} was registered ({@link Type#OPENED}) or, after it
 * was registered, closed ({@link Type#CLOSED}).
 *
 * <p>A connection that loses to another connection of the same PKI-ID at registration (see {@link
 * ConnectionStore}) produces no event. A {@code CLOSED} event names the connection that closed:
 * when a newer connection replaced it, that newer one is already open and had its own {@code
 * OPENED} event, so a listener that tracks peers should check {@link Comm#connection} rather than
 * assume the peer is gone.
 *
 * @param type opened or closed
 * @param peer the remote and its connection
 */
public record ConnectionEvent(Type type, AuthenticatedPeer peer) {

  /** What happened to the connection. */
  public enum Type {
    /** The connection passed the handshake and is the registered one of its PKI-ID. */
    OPENED,
    /** The connection closed, by either side or by a failure. */
    CLOSED
  }

  /** Checks that no component is null. */
  public ConnectionEvent {
    requireNonNull(type, "type");
    requireNonNull(peer, "peer");
  }
}
