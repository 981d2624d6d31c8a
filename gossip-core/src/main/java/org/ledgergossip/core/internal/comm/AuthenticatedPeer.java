package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;

import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.transport.Connection;

/**
 * A connection whose remote side passed the gossip handshake.
 *
 * @param pkiId the remote's PKI-ID, equal to {@code identity.pkiId()}
 * @param identity the remote's identity, validated by the MSP
 * @param connection the authenticated connection
 * @param signedHandshake the remote's {@code ConnEstablish} payload as received, kept (with its
 *     signature) for later channel access checks, as Fabric does
 * @param handshakeSignature the signature over {@code signedHandshake}
 * @param probe true if the remote only probed (it authenticates and then closes)
 */
public record AuthenticatedPeer(
    PkiId pkiId,
    Identity identity,
    Connection connection,
    Bytes signedHandshake,
    Bytes handshakeSignature,
    boolean probe) {

  /** Checks that no component is null. */
  public AuthenticatedPeer {
    requireNonNull(pkiId, "pkiId");
    requireNonNull(identity, "identity");
    requireNonNull(connection, "connection");
    requireNonNull(signedHandshake, "signedHandshake");
    requireNonNull(handshakeSignature, "handshakeSignature");
  }
}
