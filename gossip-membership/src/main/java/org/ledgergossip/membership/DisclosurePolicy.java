package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.ledgergossip.api.Member;

/**
 * Fabric's disclosure policy ({@code disclosurePolicy} in {@code gossip/gossip/gossip_impl.go}):
 * which alive messages this peer may tell a remote peer about, in a membership response or when
 * forwarding, and whether their secret envelope (the internal endpoint) must be stripped first.
 *
 * <p>For this peer of organisation {@code self}, the alive message of peer X is disclosed to remote
 * peer R only if
 *
 * <ul>
 *   <li>org(X) is org(R) or {@code self} (messages of a third organisation are never forwarded),
 *       and
 *   <li>org(X) is org(R), or both X and R have an external endpoint (a peer without one is
 *       invisible outside its organisation, and one without one learns of no foreign peer).
 * </ul>
 *
 * <p>The secret envelope is stripped whenever R is not of organisation {@code self}: internal
 * endpoints never leave the organisation. An empty organisation name means "unknown" and withholds
 * the message, as Fabric does.
 *
 * <p>Pure functions: stateless and thread-safe. Arguments must not be null ({@link
 * NullPointerException}).
 */
public final class DisclosurePolicy {

  private DisclosurePolicy() {}

  /** What may be told to a remote peer about one alive message. */
  public enum Disclosure {
    /** The message must not be sent to the remote peer. */
    WITHHOLD,
    /** The message may be sent as it is, secret envelope included. */
    DISCLOSE,
    /** The message may be sent once its secret envelope is removed. */
    DISCLOSE_WITHOUT_SECRET;

    /** True unless {@link #WITHHOLD}. */
    public boolean mayDisclose() {
      return this != WITHHOLD;
    }
  }

  /**
   * Decides what to tell a remote peer about one alive message.
   *
   * @param selfMspId this peer's organisation
   * @param aboutMspId the organisation of the peer X the alive message is about; empty if unknown
   * @param aboutHasExternalEndpoint whether X's alive message has an external endpoint
   * @param remoteMspId the organisation of the remote peer R; empty if unknown
   * @param remoteHasExternalEndpoint whether R has an external endpoint
   */
  public static Disclosure decide(
      String selfMspId,
      String aboutMspId,
      boolean aboutHasExternalEndpoint,
      String remoteMspId,
      boolean remoteHasExternalEndpoint) {
    requireNonNull(selfMspId, "selfMspId");
    requireNonNull(aboutMspId, "aboutMspId");
    requireNonNull(remoteMspId, "remoteMspId");
    if (aboutMspId.isEmpty() || remoteMspId.isEmpty()) {
      return Disclosure.WITHHOLD;
    }
    boolean sameOrgAsRemote = aboutMspId.equals(remoteMspId);
    boolean fromMyOrg = aboutMspId.equals(selfMspId);
    if (!sameOrgAsRemote && !fromMyOrg) {
      return Disclosure.WITHHOLD;
    }
    if (!sameOrgAsRemote && !(aboutHasExternalEndpoint && remoteHasExternalEndpoint)) {
      return Disclosure.WITHHOLD;
    }
    return mustStripSecret(selfMspId, remoteMspId)
        ? Disclosure.DISCLOSE_WITHOUT_SECRET
        : Disclosure.DISCLOSE;
  }

  /**
   * Decides whether an alive message may be pushed (forwarded, or our own published) to a remote
   * peer, as Fabric's {@code peersByOriginOrgPolicy} and {@code sendAndFilterSecrets} do, with the
   * invisibility rule of {@link #decide} added:
   *
   * <ul>
   *   <li>a message about a peer of our organisation goes to every peer of our organisation (secret
   *       envelope included), and to a peer of another organisation only if both it and the peer
   *       the message is about have an external endpoint (secret envelope stripped);
   *   <li>a message about a peer of another organisation X goes only to peers of X or of our
   *       organisation that have an external endpoint, and only if X's peer has one too (a peer
   *       without one learns of no foreign peer; secret envelope stripped outside our
   *       organisation).
   * </ul>
   *
   * <p>Unlike {@link #decide} (membership responses), a foreign peer's message may be pushed to our
   * own organisation: that is how a peer learns the foreign peers an anchor peer of its own
   * organisation met. An empty organisation name means "unknown" and withholds the message.
   *
   * @param selfMspId this peer's organisation
   * @param aboutMspId the organisation of the peer X the alive message is about; empty if unknown
   * @param aboutHasExternalEndpoint whether X's alive message has an external endpoint
   * @param remoteMspId the organisation of the remote peer R; empty if unknown
   * @param remoteHasExternalEndpoint whether R has an external endpoint
   */
  public static Disclosure decideForward(
      String selfMspId,
      String aboutMspId,
      boolean aboutHasExternalEndpoint,
      String remoteMspId,
      boolean remoteHasExternalEndpoint) {
    requireNonNull(selfMspId, "selfMspId");
    requireNonNull(aboutMspId, "aboutMspId");
    requireNonNull(remoteMspId, "remoteMspId");
    if (aboutMspId.isEmpty() || remoteMspId.isEmpty()) {
      return Disclosure.WITHHOLD;
    }
    boolean remoteInMyOrg = remoteMspId.equals(selfMspId);
    if (aboutMspId.equals(selfMspId)) {
      if (remoteInMyOrg) {
        return Disclosure.DISCLOSE;
      }
      return aboutHasExternalEndpoint && remoteHasExternalEndpoint
          ? Disclosure.DISCLOSE_WITHOUT_SECRET
          : Disclosure.WITHHOLD;
    }
    if (!(remoteInMyOrg || remoteMspId.equals(aboutMspId))
        || !aboutHasExternalEndpoint
        || !remoteHasExternalEndpoint) {
      return Disclosure.WITHHOLD;
    }
    return remoteInMyOrg ? Disclosure.DISCLOSE : Disclosure.DISCLOSE_WITHOUT_SECRET;
  }

  /**
   * Decides what to tell {@code remote} about {@code about}, from their MSP ids and external
   * endpoints.
   */
  public static Disclosure decide(String selfMspId, Member about, Member remote) {
    requireNonNull(about, "about");
    requireNonNull(remote, "remote");
    return decide(
        selfMspId,
        about.mspId(),
        about.externalEndpoint().isPresent(),
        remote.mspId(),
        remote.externalEndpoint().isPresent());
  }

  /** True if secret envelopes must be removed before sending to a peer of {@code remoteMspId}. */
  public static boolean mustStripSecret(String selfMspId, String remoteMspId) {
    return !requireNonNull(selfMspId, "selfMspId")
        .equals(requireNonNull(remoteMspId, "remoteMspId"));
  }

  /**
   * Applies {@code disclosure} to a signed alive envelope: empty for {@link Disclosure#WITHHOLD},
   * the envelope without its secret envelope for {@link Disclosure#DISCLOSE_WITHOUT_SECRET}, the
   * envelope itself otherwise. The payload and its signature are untouched, so the result still
   * verifies.
   */
  public static Optional<Envelope> apply(Disclosure disclosure, Envelope envelope) {
    requireNonNull(disclosure, "disclosure");
    requireNonNull(envelope, "envelope");
    return switch (disclosure) {
      case WITHHOLD -> Optional.empty();
      case DISCLOSE -> Optional.of(envelope);
      case DISCLOSE_WITHOUT_SECRET ->
          Optional.of(
              envelope.hasSecretEnvelope()
                  ? envelope.toBuilder().clearSecretEnvelope().build()
                  : envelope);
    };
  }
}
