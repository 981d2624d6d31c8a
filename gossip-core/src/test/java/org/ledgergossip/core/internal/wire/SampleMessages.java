package org.ledgergossip.core.internal.wire;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.gossip.Acknowledgement;
import org.hyperledger.fabric.protos.gossip.AliveMessage;
import org.hyperledger.fabric.protos.gossip.Chaincode;
import org.hyperledger.fabric.protos.gossip.ConnEstablish;
import org.hyperledger.fabric.protos.gossip.DataDigest;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.DataRequest;
import org.hyperledger.fabric.protos.gossip.DataUpdate;
import org.hyperledger.fabric.protos.gossip.Empty;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipHello;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.LeadershipMessage;
import org.hyperledger.fabric.protos.gossip.Member;
import org.hyperledger.fabric.protos.gossip.MembershipRequest;
import org.hyperledger.fabric.protos.gossip.MembershipResponse;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.hyperledger.fabric.protos.gossip.PeerIdentity;
import org.hyperledger.fabric.protos.gossip.PeerTime;
import org.hyperledger.fabric.protos.gossip.PrivateDataMessage;
import org.hyperledger.fabric.protos.gossip.PrivatePayload;
import org.hyperledger.fabric.protos.gossip.Properties;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.hyperledger.fabric.protos.gossip.PvtDataDigest;
import org.hyperledger.fabric.protos.gossip.PvtDataElement;
import org.hyperledger.fabric.protos.gossip.RemotePvtDataRequest;
import org.hyperledger.fabric.protos.gossip.RemotePvtDataResponse;
import org.hyperledger.fabric.protos.gossip.RemoteStateRequest;
import org.hyperledger.fabric.protos.gossip.RemoteStateResponse;
import org.hyperledger.fabric.protos.gossip.StateInfo;
import org.hyperledger.fabric.protos.gossip.StateInfoPullRequest;
import org.hyperledger.fabric.protos.gossip.StateInfoSnapshot;

/** Builds one plausible {@link GossipMessage} of each content type, for the wire codec tests. */
final class SampleMessages {

  static final ByteString CHANNEL = ByteString.copyFromUtf8("mychannel");
  static final ByteString PKI_ID = bytes(32, 0x11);
  static final PeerTime TIME = PeerTime.newBuilder().setIncNum(1_700_000_000L).setSeqNum(7).build();

  private SampleMessages() {}

  /**
   * A message with {@code content} set to a typical value, nonce 42, channel {@link #CHANNEL} and
   * no tag (UNDEFINED); pull messages get {@code pullType}. For {@code CONTENT_NOT_SET}, a message
   * with neither content nor tag.
   */
  static GossipMessage.Builder sample(ContentCase content, PullMsgType pullType) {
    GossipMessage.Builder m = GossipMessage.newBuilder().setNonce(42).setChannel(CHANNEL);
    switch (content) {
      case ALIVE_MSG -> m.setAliveMsg(alive());
      case MEM_REQ ->
          m.setMemReq(
              MembershipRequest.newBuilder()
                  .setSelfInformation(signedAlive())
                  .addKnown(PKI_ID)
                  .build());
      case MEM_RES ->
          m.setMemRes(
              MembershipResponse.newBuilder().addAlive(signedAlive()).addDead(signedAlive()));
      case DATA_MSG -> m.setDataMsg(DataMessage.newBuilder().setPayload(payload(5)));
      case HELLO ->
          m.setHello(
              GossipHello.newBuilder()
                  .setNonce(9)
                  .setMetadata(bytes(4, 1))
                  .setMsgType(pullType)
                  .build());
      case DATA_DIG ->
          m.setDataDig(
              DataDigest.newBuilder()
                  .setNonce(9)
                  .addDigests(ByteString.copyFromUtf8("5"))
                  .setMsgType(pullType)
                  .build());
      case DATA_REQ ->
          m.setDataReq(
              DataRequest.newBuilder()
                  .setNonce(9)
                  .addDigests(ByteString.copyFromUtf8("5"))
                  .setMsgType(pullType)
                  .build());
      case DATA_UPDATE ->
          m.setDataUpdate(
              DataUpdate.newBuilder().setNonce(9).addData(signedAlive()).setMsgType(pullType));
      case EMPTY -> m.setEmpty(Empty.getDefaultInstance());
      case CONN ->
          m.setConn(
              ConnEstablish.newBuilder()
                  .setPkiId(PKI_ID)
                  .setIdentity(bytes(300, 0x30))
                  .setTlsCertHash(bytes(32, 0x22))
                  .build());
      case STATE_INFO ->
          m.setStateInfo(
              StateInfo.newBuilder()
                  .setTimestamp(TIME)
                  .setPkiId(PKI_ID)
                  .setChannelMAC(bytes(32, 0x33))
                  .setProperties(
                      Properties.newBuilder()
                          .setLedgerHeight(100)
                          .addChaincodes(
                              Chaincode.newBuilder().setName("mycc").setVersion("1.0").build())));
      case STATE_SNAPSHOT ->
          m.setStateSnapshot(StateInfoSnapshot.newBuilder().addElements(signedAlive()));
      case STATE_INFO_PULL_REQ ->
          m.setStateInfoPullReq(StateInfoPullRequest.newBuilder().setChannelMAC(bytes(32, 0x44)));
      case STATE_REQUEST ->
          m.setStateRequest(RemoteStateRequest.newBuilder().setStartSeqNum(10).setEndSeqNum(19));
      case STATE_RESPONSE ->
          m.setStateResponse(
              RemoteStateResponse.newBuilder().addPayloads(payload(10)).addPayloads(payload(11)));
      case LEADERSHIP_MSG ->
          m.setLeadershipMsg(
              LeadershipMessage.newBuilder()
                  .setPkiId(PKI_ID)
                  .setTimestamp(TIME)
                  .setIsDeclaration(true)
                  .build());
      case PEER_IDENTITY ->
          m.setPeerIdentity(
              PeerIdentity.newBuilder()
                  .setPkiId(PKI_ID)
                  .setCert(bytes(300, 0x30))
                  .setMetadata(ByteString.EMPTY)
                  .build());
      case ACK -> m.setAck(Acknowledgement.newBuilder().setError("").build());
      case PRIVATEREQ ->
          m.setPrivateReq(
              RemotePvtDataRequest.newBuilder()
                  .addDigests(PvtDataDigest.newBuilder().setTxId("tx1").setBlockSeq(3)));
      case PRIVATERES ->
          m.setPrivateRes(
              RemotePvtDataResponse.newBuilder()
                  .addElements(PvtDataElement.newBuilder().addPayload(bytes(8, 1))));
      case PRIVATE_DATA ->
          m.setPrivateData(
              PrivateDataMessage.newBuilder()
                  .setPayload(PrivatePayload.newBuilder().setTxId("tx1").setNamespace("mycc")));
      case CONTENT_NOT_SET -> m.clearChannel();
    }
    return m;
  }

  /** {@link #sample} with pull type {@code BLOCK_MSG}. */
  static GossipMessage.Builder sample(ContentCase content) {
    return sample(content, PullMsgType.BLOCK_MSG);
  }

  static AliveMessage alive() {
    return AliveMessage.newBuilder()
        .setMembership(
            Member.newBuilder().setEndpoint("peer0.org1.example.com:7051").setPkiId(PKI_ID))
        .setTimestamp(TIME)
        .build();
  }

  /** An alive message in an envelope with a (fake) signature, as carried inside other messages. */
  static Envelope signedAlive() {
    GossipMessage alive =
        GossipMessage.newBuilder()
            .setNonce(0)
            .setTag(GossipMessage.Tag.EMPTY)
            .setAliveMsg(alive())
            .build();
    return WireCodec.envelopeOf(alive.toByteString(), bytes(71, 0x55));
  }

  static Payload payload(long seq) {
    return Payload.newBuilder().setSeqNum(seq).setData(bytes(200, (int) seq)).build();
  }

  static ByteString bytes(int length, int value) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) value);
    return ByteString.copyFrom(b);
  }
}
