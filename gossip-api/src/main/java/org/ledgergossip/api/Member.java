package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.util.Optional;

/**
 * What this peer knows of another peer of the network (Fabric's {@code NetworkMember}).
 *
 * <p>A peer of another organisation is known only by its external endpoint; its internal endpoint
 * never leaves its organisation, so {@code internalEndpoint} is empty for foreign peers. A peer
 * without an external endpoint is invisible to other organisations.
 *
 * @param pkiId the peer's PKI-ID
 * @param mspId the MSP (organisation) the peer's identity belongs to
 * @param externalEndpoint the endpoint advertised to other organisations, if any
 * @param internalEndpoint the endpoint used inside the organisation, if known
 * @param metadata opaque metadata the peer publishes in its alive messages; may be empty
 * @param lastSeen the freshness stamp of the newest alive message seen from the peer
 */
@Immutable
public record Member(
    PkiId pkiId,
    String mspId,
    Optional<Endpoint> externalEndpoint,
    Optional<Endpoint> internalEndpoint,
    Bytes metadata,
    PeerTime lastSeen) {

  /**
   * @throws NullPointerException if any component is null
   */
  public Member {
    requireNonNull(pkiId, "pkiId");
    requireNonNull(mspId, "mspId");
    requireNonNull(externalEndpoint, "externalEndpoint");
    requireNonNull(internalEndpoint, "internalEndpoint");
    requireNonNull(metadata, "metadata");
    requireNonNull(lastSeen, "lastSeen");
  }

  /**
   * The endpoint to dial this peer on: the internal one when known (same organisation), else the
   * external one.
   */
  public Optional<Endpoint> preferredEndpoint() {
    return internalEndpoint.isPresent() ? internalEndpoint : externalEndpoint;
  }
}
