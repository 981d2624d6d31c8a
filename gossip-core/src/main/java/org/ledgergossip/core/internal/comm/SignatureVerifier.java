package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;

import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.spi.msp.Identity;

/**
 * Verifies the signature of a received envelope against the identity of its claimed signer, as
 * Fabric's {@code SignedGossipMessage.Verify} does: the signature must be non-empty and valid over
 * exactly the payload bytes received, and a secret envelope, when attached, must carry a valid
 * signature over its own payload by the same identity.
 *
 * <p>Verification is the expensive step of receiving (an ECDSA verification, two with a secret
 * envelope): call it once per message, only for envelopes {@link MessageDeduplicator#firstSeen} let
 * through, and only for the kinds that are signed (alive, state info, leadership, peer identity);
 * finding the signer's identity (by the PKI-ID in the message) is the caller's job.
 *
 * <p>Stateless and thread-safe. Arguments must not be null; a malformed signature gives {@code
 * false}, never an exception.
 */
public final class SignatureVerifier {

  private SignatureVerifier() {}

  /**
   * True if {@code received}'s envelope (and its secret envelope, if any) is signed by {@code
   * signer}.
   */
  public static boolean verify(ReceivedEnvelope received, Identity signer) {
    requireNonNull(received, "received");
    requireNonNull(signer, "signer");
    Envelope envelope = received.envelope();
    if (envelope.getPayload().isEmpty() || envelope.getSignature().isEmpty()) {
      return false;
    }
    if (!signer.verify(
        envelope.getPayload().toByteArray(), envelope.getSignature().toByteArray())) {
      return false;
    }
    if (!envelope.hasSecretEnvelope()) {
      return true;
    }
    SecretEnvelope secret = envelope.getSecretEnvelope();
    return !secret.getPayload().isEmpty()
        && !secret.getSignature().isEmpty()
        && signer.verify(secret.getPayload().toByteArray(), secret.getSignature().toByteArray());
  }
}
