package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Properties;
import org.hyperledger.fabric.protos.gossip.StateInfo;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Msp;

/**
 * What a {@code StateInfo} message says: Fabric's per-channel state of one peer.
 *
 * @param pkiId the peer the message speaks for (and that signed it)
 * @param time the freshness stamp; the newest per peer wins
 * @param channelMac {@code SHA-256(pkiId ‖ channel)}, the only mention of the channel
 * @param ledgerHeight the peer's ledger height on the channel
 * @param leftChannel true once the peer has left the channel
 */
record StateInfoRecord(
    PkiId pkiId, PeerTime time, ByteString channelMac, long ledgerHeight, boolean leftChannel) {

  StateInfoRecord {
    requireNonNull(pkiId, "pkiId");
    requireNonNull(time, "time");
    requireNonNull(channelMac, "channelMac");
  }

  /**
   * The record of a received message, if it is a {@code StateInfo} with a PKI-ID and a timestamp;
   * absent properties read as height 0, not left.
   */
  static Optional<StateInfoRecord> of(GossipMessage message) {
    if (message.getContentCase() != GossipMessage.ContentCase.STATE_INFO) {
      return Optional.empty();
    }
    StateInfo info = message.getStateInfo();
    if (info.getPkiId().isEmpty() || !info.hasTimestamp()) {
      return Optional.empty();
    }
    Properties props = info.getProperties();
    return Optional.of(
        new StateInfoRecord(
            PkiId.of(info.getPkiId().toByteArray()),
            new PeerTime(info.getTimestamp().getIncNum(), info.getTimestamp().getSeqNum()),
            info.getChannelMAC(),
            props.getLedgerHeight(),
            props.getLeftChannel()));
  }

  /**
   * This record as a {@code StateInfo} signed by {@code msp}: {@code GossipMessage{tag CHAN_OR_ORG,
   * nonce 0, no channel name, state_info}}, the signature over exactly the payload bytes.
   */
  Envelope sign(Msp msp) {
    GossipMessage message =
        GossipMessage.newBuilder()
            .setTag(GossipMessage.Tag.CHAN_OR_ORG)
            .setNonce(0)
            .setStateInfo(
                StateInfo.newBuilder()
                    .setPkiId(UnsafeByteOperations.unsafeWrap(pkiId.bytes().toByteArray()))
                    .setChannelMAC(channelMac)
                    .setTimestamp(
                        org.hyperledger.fabric.protos.gossip.PeerTime.newBuilder()
                            .setIncNum(time.incNum())
                            .setSeqNum(time.seqNum()))
                    .setProperties(
                        Properties.newBuilder()
                            .setLedgerHeight(ledgerHeight)
                            .setLeftChannel(leftChannel)))
            .build();
    ByteString payload = message.toByteString();
    return WireCodec.envelopeOf(
        payload, UnsafeByteOperations.unsafeWrap(msp.sign(payload.toByteArray())));
  }
}
