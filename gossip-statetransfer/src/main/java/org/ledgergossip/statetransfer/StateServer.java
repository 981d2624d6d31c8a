package org.ledgergossip.statetransfer;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.RemoteStateRequest;
import org.hyperledger.fabric.protos.gossip.RemoteStateResponse;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.statetransfer.StateMetrics.Drop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of anti-entropy (Fabric's {@code handleStateRequest}). A {@code
 * RemoteStateRequest} is answered only to a member of the channel ({@link StateChannel#isMember});
 * {@code start > end} is refused; the range is capped at {@code start + batchSize} (Fabric refuses
 * beyond it) and at our height. The response echoes the request's nonce and carries the blocks we
 * have (possibly none), read from the ledger. Refusals are counted ({@code not_member}, {@code
 * bad_range}, {@code ledger_failure}).
 *
 * <p><b>Threading.</b> Stateless apart from its collaborators; runs on the comm's threads.
 */
final class StateServer {

  private static final Logger log = LoggerFactory.getLogger(StateServer.class);

  private final StateChannel channel;
  private final ByteString channelBytes;
  private final LedgerStore ledger;
  private final WireCodec codec;
  private final StateMetrics metrics;
  private final int batchSize;

  StateServer(
      StateChannel channel,
      ByteString channelBytes,
      LedgerStore ledger,
      WireCodec codec,
      StateMetrics metrics,
      int batchSize) {
    this.channel = channel;
    this.channelBytes = channelBytes;
    this.ledger = ledger;
    this.codec = codec;
    this.metrics = metrics;
    this.batchSize = batchSize;
  }

  void onRequest(ReceivedMessage m) {
    PkiId from = m.senderPkiId();
    if (!channel.isMember(from)) {
      metrics.drop(
          Drop.NOT_MEMBER,
          log,
          "channel " + channel.name() + ": state request from " + from + ", not a member");
      return;
    }
    RemoteStateRequest request = m.message().getStateRequest();
    long start = request.getStartSeqNum();
    long end = request.getEndSeqNum();
    if (start < 0 || end < 0 || start > end) {
      metrics.drop(
          Drop.BAD_RANGE,
          log,
          "channel "
              + channel.name()
              + ": state request from "
              + from
              + " for ["
              + Long.toUnsignedString(start)
              + ", "
              + Long.toUnsignedString(end)
              + "]");
      return;
    }
    long capped = end - start > batchSize ? start + batchSize : end;
    RemoteStateResponse.Builder response = RemoteStateResponse.newBuilder();
    try {
      long to = Math.min(capped, ledger.height() - 1);
      if (to >= start) {
        for (Block block : ledger.range(start, to + 1)) {
          response.addPayloads(Blocks.payload(block));
        }
      }
    } catch (LedgerException | RuntimeException e) {
      metrics.drop(
          Drop.LEDGER_FAILURE,
          log,
          "channel " + channel.name() + ": cannot read [" + start + ", " + capped + "]: " + e);
      return;
    }
    GossipMessage reply =
        GossipMessage.newBuilder()
            .setNonce(m.message().getNonce())
            .setChannel(channelBytes)
            .setTag(GossipMessage.Tag.CHAN_OR_ORG)
            .setStateResponse(response)
            .build();
    try {
      m.respond(codec.encode(reply));
    } catch (MalformedMessageException e) {
      log.warn("channel {}: cannot answer {}: {}", channel.name(), from, e.getMessage());
    }
  }
}
