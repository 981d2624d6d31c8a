package org.ledgergossip.core.internal.election;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.LeadershipMessage;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.channel.ChannelMac;
import org.ledgergossip.spi.msp.Msp;

/**
 * Fabric's {@code gossip.LeadershipMessage} in a signed envelope: a proposal to lead, or the
 * declaration (heartbeat) of a leader, of one organisation in one channel. The gossip message
 * carries the channel name and the tag {@code CHAN_AND_ORG}, as Fabric's election adapter sends it;
 * the envelope's signature is by the peer whose PKI-ID is in the message.
 *
 * <p>Reading ({@link #read}) checks the shape only: the content, the tag, the channel, a non-empty
 * PKI-ID. The signature is the caller's to verify against the identity of {@link
 * org.ledgergossip.spi.election.LeadershipMessage#sender()} (with {@code SignatureVerifier}),
 * because only the caller knows that identity.
 *
 * <p>Stateless and thread-safe. Arguments must not be null.
 */
public final class LeadershipMessages {

  private LeadershipMessages() {}

  /**
   * Our own leadership message, signed with {@code msp}'s local identity.
   *
   * @param channel the channel the election is for
   * @param self our PKI-ID (the MSP's)
   * @param time the freshness stamp: our incarnation and a sequence number that grows with each
   *     message
   * @param declaration true for a declaration, false for a proposal
   * @param nonce the gossip message's nonce
   */
  public static Envelope sign(
      String channel,
      PkiId self,
      org.ledgergossip.api.PeerTime time,
      boolean declaration,
      long nonce,
      Msp msp) {
    requireNonNull(msp, "msp");
    GossipMessage message =
        GossipMessage.newBuilder()
            .setNonce(nonce)
            .setChannel(ChannelMac.channelBytes(channel))
            .setTag(Tag.CHAN_AND_ORG)
            .setLeadershipMsg(
                LeadershipMessage.newBuilder()
                    .setPkiId(UnsafeByteOperations.unsafeWrap(self.bytes().toByteArray()))
                    .setIsDeclaration(declaration)
                    .setTimestamp(
                        PeerTime.newBuilder().setIncNum(time.incNum()).setSeqNum(time.seqNum())))
            .build();
    ByteString payload = message.toByteString();
    return Envelope.newBuilder()
        .setPayload(payload)
        .setSignature(UnsafeByteOperations.unsafeWrap(msp.sign(payload.toByteArray())))
        .build();
  }

  /**
   * The leadership message in {@code message} if it is one of {@code channel}'s, tagged {@code
   * CHAN_AND_ORG}, with a non-empty PKI-ID; empty otherwise. The signature is not checked here.
   */
  public static Optional<org.ledgergossip.spi.election.LeadershipMessage> read(
      GossipMessage message, String channel) {
    if (message.getContentCase() != GossipMessage.ContentCase.LEADERSHIP_MSG
        || message.getTag() != Tag.CHAN_AND_ORG
        || !message.getChannel().equals(ChannelMac.channelBytes(channel))) {
      return Optional.empty();
    }
    LeadershipMessage m = message.getLeadershipMsg();
    if (m.getPkiId().isEmpty() || !m.hasTimestamp()) {
      return Optional.empty();
    }
    return Optional.of(
        new org.ledgergossip.spi.election.LeadershipMessage(
            PkiId.of(m.getPkiId().toByteArray()),
            new org.ledgergossip.api.PeerTime(
                m.getTimestamp().getIncNum(), m.getTimestamp().getSeqNum()),
            m.getIsDeclaration()));
  }
}
