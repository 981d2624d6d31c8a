package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;

/**
 * A message received by {@link Comm} on an authenticated connection, decoded once, as handed to its
 * subscribers.
 *
 * <p>The sender is who the connection's handshake proved the remote to be, never what the message
 * claims: a message about another peer (a forwarded alive message, say) still has the forwarder as
 * {@link #sender()}. Nothing here says whether the envelope's signature is valid; see {@link
 * MessageDeduplicator} and {@link SignatureVerifier}. To forward the message, send {@code
 * envelope().frame().toByteArray()}, the bytes as received.
 *
 * <p>Immutable and thread-safe; no accessor returns null. Equality is identity: two receptions of
 * the same bytes are two messages.
 */
public final class ReceivedMessage {

  private final ReceivedEnvelope envelope;
  private final AuthenticatedPeer sender;
  private final Function<byte[], SendStatus> responder;

  ReceivedMessage(
      ReceivedEnvelope envelope, AuthenticatedPeer sender, Function<byte[], SendStatus> responder) {
    this.envelope = requireNonNull(envelope, "envelope");
    this.sender = requireNonNull(sender, "sender");
    this.responder = requireNonNull(responder, "responder");
  }

  /** The decoded envelope, holding the frame exactly as received. */
  public ReceivedEnvelope envelope() {
    return envelope;
  }

  /** The gossip message parsed from the envelope's payload. */
  public GossipMessage message() {
    return envelope.message();
  }

  /** The message's content type: the kind subscribers usually filter on. */
  public GossipMessage.ContentCase contentCase() {
    return envelope.contentCase();
  }

  /** The authenticated remote the message came from, with its connection. */
  public AuthenticatedPeer sender() {
    return sender;
  }

  /** The sender's PKI-ID, from the connection's handshake. */
  public PkiId senderPkiId() {
    return sender.pkiId();
  }

  /**
   * Sends {@code frame} back to the sender on the connection this message came on, even if a newer
   * connection to the same peer replaced it since. Never blocks; a failure is returned and counted,
   * never thrown.
   *
   * @param frame a marshalled envelope; the caller must not modify it afterwards
   * @throws NullPointerException if {@code frame} is null
   */
  public SendStatus respond(byte[] frame) {
    return responder.apply(requireNonNull(frame, "frame"));
  }

  @Override
  public String toString() {
    return "ReceivedMessage{from=" + sender.pkiId() + ", " + envelope + "}";
  }
}
