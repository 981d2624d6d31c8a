package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.Comm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialling half of {@link Discovery}: dials the bootstrap endpoints, every peer the view learns
 * without a connection to it (at its internal endpoint, else its external one), and, on each {@link
 * #reconnect} round, the bootstrap endpoints not connected and every known peer without a
 * connection, dead ones included.
 *
 * <p>At most one dial per endpoint is under way at a time; our own endpoints are never dialled;
 * nothing is dialled while {@code running} is false. A failed dial is logged at debug level and
 * retried at the next round. Thread-safe; arguments must not be null.
 */
final class PeerDialer {

  private static final Logger log = LoggerFactory.getLogger(PeerDialer.class);

  private final Comm comm;
  private final Set<Endpoint> own;
  private final List<Endpoint> bootstrap;
  private final BooleanSupplier running;
  private final Set<Endpoint> dialing = ConcurrentHashMap.newKeySet();
  private final Map<Endpoint, PkiId> bootstrapPeers = new ConcurrentHashMap<>();

  PeerDialer(Comm comm, Set<Endpoint> own, List<Endpoint> bootstrap, BooleanSupplier running) {
    this.comm = requireNonNull(comm, "comm");
    this.own = Set.copyOf(own);
    this.bootstrap = List.copyOf(bootstrap);
    this.running = requireNonNull(running, "running");
  }

  /** Dials every bootstrap endpoint. */
  void dialBootstrap() {
    bootstrap.forEach(this::dial);
  }

  /** One reconnect round: unconnected bootstrap endpoints, then unconnected known peers. */
  void reconnect(MembershipView view) {
    for (Endpoint endpoint : bootstrap) {
      PkiId peer = bootstrapPeers.get(endpoint);
      if (peer == null || comm.connection(peer).isEmpty()) {
        dial(endpoint);
      }
    }
    view.dead().forEach(this::dialIfUnconnected);
    view.alive().forEach(this::dialIfUnconnected);
  }

  /** A view listener: dials a peer that joined or came back, if it has no connection. */
  void onViewEvent(MembershipEvent event) {
    if (event.type() == MembershipEvent.Type.JOINED
        || event.type() == MembershipEvent.Type.ALIVE_AGAIN) {
      dialIfUnconnected(event.member());
    }
  }

  private void dialIfUnconnected(Member member) {
    if (comm.connection(member.pkiId()).isEmpty()) {
      member.internalEndpoint().or(member::externalEndpoint).ifPresent(this::dial);
    }
  }

  private void dial(Endpoint endpoint) {
    if (!running.getAsBoolean() || own.contains(endpoint) || !dialing.add(endpoint)) {
      return;
    }
    CompletableFuture<?> unused =
        comm.connect(endpoint)
            .whenComplete(
                (peer, error) -> {
                  dialing.remove(endpoint);
                  if (peer != null && bootstrap.contains(endpoint)) {
                    bootstrapPeers.put(endpoint, peer.pkiId());
                  } else if (error != null) {
                    log.debug("Dial of {} failed: {}", endpoint, error.toString());
                  }
                });
  }
}
