package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.spi.transport.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated connection per remote PKI-ID.
 *
 * <p>When a second connection to the same peer authenticates, one of the two is closed:
 *
 * <ul>
 *   <li><b>Simultaneous dials</b> — one connection dialled by each side, the second registered
 *       within {@code window} of the first: both peers keep the connection dialled by the peer with
 *       the lower PKI-ID, so they settle on the same one without talking about it.
 *   <li><b>Otherwise</b> (a reconnect, a restarted peer): the newer replaces the older, as in
 *       Fabric.
 * </ul>
 *
 * <p><b>Threading.</b> Thread-safe; connections are closed outside the lock.
 */
public final class ConnectionStore {

  private static final Logger log = LoggerFactory.getLogger(ConnectionStore.class);

  private final PkiId self;
  private final Clock clock;
  private final long windowNanos;
  private final Map<PkiId, Entry> byPkiId = new HashMap<>();

  private record Entry(AuthenticatedPeer peer, long registeredAt) {}

  /**
   * Creates a store for the peer {@code self}.
   *
   * @param window how close in time two connections of opposite direction must be to count as
   *     simultaneous dials (the handshake timeout is a good value)
   */
  public ConnectionStore(PkiId self, Clock clock, Duration window) {
    this.self = requireNonNull(self, "self");
    this.clock = requireNonNull(clock, "clock");
    this.windowNanos = window.toNanos();
  }

  /**
   * Registers an authenticated connection and closes the one it loses to, if any.
   *
   * @return true if {@code peer}'s connection is kept, false if it was closed in favour of the
   *     existing one
   */
  public boolean register(AuthenticatedPeer peer) {
    requireNonNull(peer, "peer");
    Connection loser;
    boolean kept;
    synchronized (this) {
      long now = clock.nanoTime();
      Entry existing = byPkiId.get(peer.pkiId());
      if (existing == null || !existing.peer().connection().isOpen()) {
        byPkiId.put(peer.pkiId(), new Entry(peer, now));
        return true;
      }
      Connection old = existing.peer().connection();
      Connection neu = peer.connection();
      boolean simultaneous =
          old.isClient() != neu.isClient() && now - existing.registeredAt() <= windowNanos;
      if (simultaneous) {
        boolean keepOurDial = self.compareTo(peer.pkiId()) < 0;
        kept = neu.isClient() == keepOurDial;
      } else {
        kept = true;
      }
      if (kept) {
        byPkiId.put(peer.pkiId(), new Entry(peer, now));
        loser = old;
      } else {
        loser = neu;
      }
    }
    log.debug(
        "two connections with {}: keeping the {} one", peer.pkiId(), kept ? "new" : "existing");
    loser.close();
    return kept;
  }

  /** The connection to {@code pkiId}, if one is registered and open. */
  public synchronized Optional<AuthenticatedPeer> get(PkiId pkiId) {
    Entry e = byPkiId.get(requireNonNull(pkiId, "pkiId"));
    return e != null && e.peer().connection().isOpen() ? Optional.of(e.peer()) : Optional.empty();
  }

  /**
   * How long the open connection to {@code pkiId} has been the registered one, on the store's
   * clock; empty if there is none.
   */
  public synchronized Optional<Duration> registeredFor(PkiId pkiId) {
    Entry e = byPkiId.get(requireNonNull(pkiId, "pkiId"));
    return e != null && e.peer().connection().isOpen()
        ? Optional.of(Duration.ofNanos(clock.nanoTime() - e.registeredAt()))
        : Optional.empty();
  }

  /** Forgets {@code peer}'s connection if it is still the registered one (call it on close). */
  public synchronized void remove(AuthenticatedPeer peer) {
    Entry e = byPkiId.get(peer.pkiId());
    if (e != null && e.peer().connection() == peer.connection()) {
      byPkiId.remove(peer.pkiId());
    }
  }

  /** Number of registered connections (open or not yet noticed closed). */
  public synchronized int size() {
    return byPkiId.size();
  }
}
