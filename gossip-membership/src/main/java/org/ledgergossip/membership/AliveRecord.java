package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;
import java.util.Optional;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;

/**
 * The content of one alive message ({@code AliveMessage} of Fabric's {@code message.proto}): what a
 * peer says about itself, either before {@link AliveMessages#sign signing} or after {@link
 * AliveMessages#verify verification}.
 *
 * <p>Immutable and thread-safe; no component is null.
 *
 * @param pkiId the PKI-ID of the peer the message is about (and signed by)
 * @param externalEndpoint the endpoint advertised to other organisations ({@code Member.endpoint});
 *     empty if the peer has none, which hides it from other organisations
 * @param internalEndpoint the endpoint used inside the peer's organisation, carried only in the
 *     separately signed {@code SecretEnvelope}; empty if absent or stripped
 * @param metadata opaque metadata ({@code Member.metadata}); may be empty
 * @param time the message's freshness stamp ({@code PeerTime})
 * @param identity the marshalled {@code SerializedIdentity} of the peer, included only during
 *     {@code publishCertPeriod} after start; empty otherwise
 */
@Immutable
public record AliveRecord(
    PkiId pkiId,
    Optional<Endpoint> externalEndpoint,
    Optional<Endpoint> internalEndpoint,
    Bytes metadata,
    PeerTime time,
    Optional<Bytes> identity) {

  /**
   * Checks that no component is null.
   *
   * @throws NullPointerException if one is
   */
  public AliveRecord {
    requireNonNull(pkiId, "pkiId");
    requireNonNull(externalEndpoint, "externalEndpoint");
    requireNonNull(internalEndpoint, "internalEndpoint");
    requireNonNull(metadata, "metadata");
    requireNonNull(time, "time");
    requireNonNull(identity, "identity");
  }

  /** This record with the identity removed, as sent once {@code publishCertPeriod} is over. */
  public AliveRecord withoutIdentity() {
    return new AliveRecord(
        pkiId, externalEndpoint, internalEndpoint, metadata, time, Optional.empty());
  }
}
