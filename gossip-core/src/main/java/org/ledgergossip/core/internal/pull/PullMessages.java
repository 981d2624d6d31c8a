package org.ledgergossip.core.internal.pull;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.gossip.DataDigest;
import org.hyperledger.fabric.protos.gossip.DataRequest;
import org.hyperledger.fabric.protos.gossip.DataUpdate;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipHello;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.PullMsgType;

/**
 * The four messages of Fabric's pull protocol ({@code GossipHello}, {@code DataDigest}, {@code
 * DataRequest}, {@code DataUpdate}) for one {@link PullMsgType}, as {@link PullAdapter}s send them.
 * The caller sets the tag (and the channel, for blocks) and encodes. Stateless; thread-safe.
 */
public final class PullMessages {

  private PullMessages() {}

  /**
   * The {@code msg_type} of a pull message (hello, digest, request, update); {@code UNDEFINED} for
   * every other content, as Fabric's {@code GetPullMsgType}.
   */
  public static PullMsgType typeOf(GossipMessage message) {
    return switch (message.getContentCase()) {
      case HELLO -> message.getHello().getMsgType();
      case DATA_DIG -> message.getDataDig().getMsgType();
      case DATA_REQ -> message.getDataReq().getMsgType();
      case DATA_UPDATE -> message.getDataUpdate().getMsgType();
      default -> PullMsgType.UNDEFINED;
    };
  }

  /** A hello of {@code type} with {@code nonce}. */
  public static GossipMessage.Builder hello(PullMsgType type, long nonce) {
    return GossipMessage.newBuilder()
        .setHello(GossipHello.newBuilder().setNonce(nonce).setMsgType(requireNonNull(type)));
  }

  /** The digests of {@code type} answering the hello {@code nonce}. */
  public static GossipMessage.Builder digest(
      PullMsgType type, long nonce, List<ByteString> digests) {
    return GossipMessage.newBuilder()
        .setDataDig(
            DataDigest.newBuilder()
                .setNonce(nonce)
                .addAllDigests(digests)
                .setMsgType(requireNonNull(type)));
  }

  /** A request of {@code type} for {@code digests}, in the round of {@code nonce}. */
  public static GossipMessage.Builder request(
      PullMsgType type, long nonce, List<ByteString> digests) {
    return GossipMessage.newBuilder()
        .setDataReq(
            DataRequest.newBuilder()
                .setNonce(nonce)
                .addAllDigests(digests)
                .setMsgType(requireNonNull(type)));
  }

  /** An update of {@code type} carrying {@code items} as received or signed. */
  public static GossipMessage.Builder update(PullMsgType type, long nonce, List<Envelope> items) {
    return GossipMessage.newBuilder()
        .setDataUpdate(
            DataUpdate.newBuilder()
                .setNonce(nonce)
                .addAllData(items)
                .setMsgType(requireNonNull(type)));
  }
}
