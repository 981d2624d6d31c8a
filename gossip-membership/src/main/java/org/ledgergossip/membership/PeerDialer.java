package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
 * connection, dead ones included. A dial that reaches a bootstrap endpoint or a dead peer hands the
 * peer to {@code introduce} (which sends it a membership request, as Fabric does); any other dial
 * that succeeds hands it to {@code greet} (which sends it our alive message, so that a peer we
 * learnt of learns of us at once).
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
  private final Consumer<PkiId> introduce;
  private final Consumer<PkiId> greet;
  private final Set<Endpoint> dialing = ConcurrentHashMap.newKeySet();
  private final Map<Endpoint, PkiId> bootstrapPeers = new ConcurrentHashMap<>();

  PeerDialer(
      Comm comm,
      Set<Endpoint> own,
      List<Endpoint> bootstrap,
      BooleanSupplier running,
      Consumer<PkiId> introduce,
      Consumer<PkiId> greet) {
    this.comm = requireNonNull(comm, "comm");
    this.own = Set.copyOf(own);
    this.bootstrap = List.copyOf(bootstrap);
    this.running = requireNonNull(running, "running");
    this.introduce = requireNonNull(introduce, "introduce");
    this.greet = requireNonNull(greet, "greet");
  }

  /** Dials every bootstrap endpoint. */
  void dialBootstrap() {
    bootstrap.forEach(endpoint -> dial(endpoint, true));
  }

  /** One reconnect round: unconnected bootstrap endpoints, then unconnected known peers. */
  void reconnect(MembershipView view) {
    for (Endpoint endpoint : bootstrap) {
      PkiId peer = bootstrapPeers.get(endpoint);
      if (peer == null || comm.connection(peer).isEmpty()) {
        dial(endpoint, true);
      }
    }
    view.dead().forEach(member -> dialIfUnconnected(member, true));
    view.alive().forEach(member -> dialIfUnconnected(member, false));
  }

  /** A view listener: dials a peer that joined or came back, if it has no connection. */
  void onViewEvent(MembershipEvent event) {
    if (event.type() == MembershipEvent.Type.JOINED
        || event.type() == MembershipEvent.Type.ALIVE_AGAIN) {
      dialIfUnconnected(event.member(), false);
    }
  }

  private void dialIfUnconnected(Member member, boolean introduceOnSuccess) {
    if (comm.connection(member.pkiId()).isEmpty()) {
      member
          .internalEndpoint()
          .or(member::externalEndpoint)
          .ifPresent(endpoint -> dial(endpoint, introduceOnSuccess));
    }
  }

  private void dial(Endpoint endpoint, boolean introduceOnSuccess) {
    if (!running.getAsBoolean() || own.contains(endpoint) || !dialing.add(endpoint)) {
      return;
    }
    CompletableFuture<?> unused =
        comm.connect(endpoint)
            .whenComplete(
                (peer, error) -> {
                  dialing.remove(endpoint);
                  if (peer != null) {
                    if (bootstrap.contains(endpoint)) {
                      bootstrapPeers.put(endpoint, peer.pkiId());
                    }
                    if (running.getAsBoolean()) {
                      (introduceOnSuccess ? introduce : greet).accept(peer.pkiId());
                    }
                  } else if (error != null) {
                    log.debug("Dial of {} failed: {}", endpoint, error.toString());
                  }
                });
  }
}
