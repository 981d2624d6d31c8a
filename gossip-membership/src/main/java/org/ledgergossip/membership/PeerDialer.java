package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * The dialling half of {@link Discovery}: dials the bootstrap and anchor endpoints, every peer the
 * view learns without a connection to it (at its internal endpoint, else its external one), and, on
 * each {@link #reconnect} round, the bootstrap and anchor endpoints not connected and every known
 * peer without a connection, dead ones included.
 *
 * <p><b>What a dial is followed by.</b> A dial that reaches a bootstrap or anchor peer, or a dead
 * peer, hands the peer to {@code introduce} (which sends it a membership request, as Fabric does);
 * any other dial that succeeds hands it to {@code greet} (which sends it our alive message, so that
 * a peer we learnt of learns of us at once).
 *
 * <p><b>Bootstrap and anchor peers</b> are first probed (a handshake without joining, as Fabric
 * does) to learn who answers there: a bootstrap endpoint answered by a peer of another organisation
 * is refused (Fabric: "isn't in our organization, cannot be a bootstrap peer"), and so is an anchor
 * endpoint answered by a peer of another organisation than the one it was announced for. An anchor
 * of another organisation is never contacted by a peer without an external endpoint (it could not
 * be told about foreign peers anyway, and must stay invisible to them). Refusals are logged at
 * warning level once per endpoint, then at debug level; the endpoint is probed again at the next
 * round (its certificate may have changed).
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
  private final String selfMspId;
  private final boolean hasExternalEndpoint;
  private final BooleanSupplier running;
  private final Consumer<PkiId> request;
  private final Consumer<PkiId> greet;
  private final Set<Endpoint> dialing = ConcurrentHashMap.newKeySet();
  private final Map<Endpoint, PkiId> introduced = new ConcurrentHashMap<>();
  private final Map<Endpoint, String> anchors = new ConcurrentHashMap<>();
  private final Set<Endpoint> warned = ConcurrentHashMap.newKeySet();

  PeerDialer(
      Comm comm,
      Set<Endpoint> own,
      List<Endpoint> bootstrap,
      String selfMspId,
      boolean hasExternalEndpoint,
      BooleanSupplier running,
      Consumer<PkiId> request,
      Consumer<PkiId> greet) {
    this.comm = requireNonNull(comm, "comm");
    this.own = Set.copyOf(own);
    this.bootstrap = List.copyOf(bootstrap);
    this.selfMspId = requireNonNull(selfMspId, "selfMspId");
    this.hasExternalEndpoint = hasExternalEndpoint;
    this.running = requireNonNull(running, "running");
    this.request = requireNonNull(request, "request");
    this.greet = requireNonNull(greet, "greet");
  }

  /** Dials every bootstrap endpoint. */
  void dialBootstrap() {
    bootstrap.forEach(e -> introduce(e, selfMspId, true));
  }

  /**
   * Adds anchor peers of organisation {@code mspId} and dials the new ones (if running); those of
   * another organisation are ignored if we have no external endpoint.
   *
   * @return the endpoints kept as anchors (to be never purged)
   */
  Set<Endpoint> addAnchors(String mspId, Collection<Endpoint> endpoints) {
    requireNonNull(mspId, "mspId");
    if (!mspId.equals(selfMspId) && !hasExternalEndpoint) {
      log.info(
          "Anchor peers {} of {} skipped: they are not of our organisation {} and we have no"
              + " external endpoint",
          endpoints,
          mspId,
          selfMspId);
      return Set.of();
    }
    Set<Endpoint> added = new LinkedHashSet<>();
    for (Endpoint endpoint : endpoints) {
      if (!own.contains(endpoint) && anchors.putIfAbsent(endpoint, mspId) == null) {
        added.add(endpoint);
      }
    }
    added.forEach(e -> introduce(e, mspId, false));
    return Set.copyOf(added);
  }

  /** Dials every anchor endpoint added before start. */
  void dialAnchors() {
    anchors.forEach((endpoint, mspId) -> introduce(endpoint, mspId, false));
  }

  /** One reconnect round: unconnected bootstrap and anchor endpoints, then unconnected peers. */
  void reconnect(MembershipView view) {
    for (Endpoint endpoint : bootstrap) {
      if (!connected(endpoint)) {
        introduce(endpoint, selfMspId, true);
      }
    }
    anchors.forEach(
        (endpoint, mspId) -> {
          if (!connected(endpoint)) {
            introduce(endpoint, mspId, false);
          }
        });
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

  private boolean connected(Endpoint endpoint) {
    PkiId peer = introduced.get(endpoint);
    return peer != null && comm.connection(peer).isPresent();
  }

  private void dialIfUnconnected(Member member, boolean dead) {
    if (comm.connection(member.pkiId()).isEmpty()) {
      member
          .internalEndpoint()
          .or(member::externalEndpoint)
          .ifPresent(endpoint -> dial(endpoint, dead ? request : greet));
    }
  }

  private void dial(Endpoint endpoint, Consumer<PkiId> then) {
    if (!running.getAsBoolean() || own.contains(endpoint) || !dialing.add(endpoint)) {
      return;
    }
    CompletableFuture<?> unused =
        comm.connect(endpoint)
            .whenComplete(
                (peer, error) -> {
                  dialing.remove(endpoint);
                  if (peer != null && running.getAsBoolean()) {
                    then.accept(peer.pkiId());
                  } else if (error != null) {
                    log.debug("Dial of {} failed: {}", endpoint, error.toString());
                  }
                });
  }

  /**
   * Probes a bootstrap or anchor endpoint, then connects if the peer there is of {@code mspId} (our
   * own organisation for a bootstrap endpoint).
   */
  private void introduce(Endpoint endpoint, String mspId, boolean isBootstrap) {
    if (!running.getAsBoolean() || own.contains(endpoint) || !dialing.add(endpoint)) {
      return;
    }
    CompletableFuture<?> unused =
        comm.probe(endpoint)
            .thenCompose(
                probed -> {
                  String org = probed.identity().mspId();
                  if (!org.equals(mspId)) {
                    throw new CompletionException(
                        new Refused(
                            isBootstrap
                                ? endpoint
                                    + " is a peer of "
                                    + org
                                    + ", not of our organisation "
                                    + selfMspId
                                    + ": it cannot be a bootstrap peer"
                                : "anchor peer "
                                    + endpoint
                                    + " of "
                                    + mspId
                                    + " is a peer of "
                                    + org));
                  }
                  return comm.connection(probed.pkiId())
                      .map(CompletableFuture::completedFuture)
                      .orElseGet(() -> comm.connect(endpoint));
                })
            .whenComplete(
                (peer, error) -> {
                  dialing.remove(endpoint);
                  if (peer != null) {
                    introduced.put(endpoint, peer.pkiId());
                    if (running.getAsBoolean()) {
                      request.accept(peer.pkiId());
                    }
                  } else {
                    failed(endpoint, error);
                  }
                });
  }

  private void failed(Endpoint endpoint, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof Refused && warned.size() < 1024 && warned.add(endpoint)) {
      log.warn("Refused {} (probed again every reconnect round)", cause.getMessage());
    } else {
      log.debug("Dial of {} failed: {}", endpoint, cause.toString());
    }
  }

  /** Why a probed bootstrap or anchor endpoint was not joined. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
