package org.ledgergossip.core.internal.comm;

import org.jspecify.annotations.Nullable;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of an authenticated connection's frames (after {@link Session} hands over): decodes
 * each frame once and dispatches it to the {@link Demux} with the sender the handshake proved.
 *
 * <p>A frame the codec refuses is counted by the codec ({@value WireCodec#REJECTED_COUNTER}),
 * logged at warning level the first time on this connection (at debug afterwards) and dropped; the
 * connection stays open. The close is handled by {@link Comm} through the connection's close
 * future, which also covers a close that races the hand-over.
 *
 * <p><b>Threading.</b> The transport calls it serially per connection; subscribers run on that
 * thread.
 */
final class PeerConnection implements ConnectionHandler {

  private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);

  private final AuthenticatedPeer peer;
  private final WireCodec codec;
  private final Demux demux;
  private final Comm comm;
  private volatile boolean loggedMalformed;

  PeerConnection(AuthenticatedPeer peer, WireCodec codec, Demux demux, Comm comm) {
    this.peer = peer;
    this.codec = codec;
    this.demux = demux;
    this.comm = comm;
  }

  @Override
  public void onFrame(Connection connection, byte[] frame) {
    ReceivedEnvelope envelope;
    try {
      envelope = codec.decode(frame);
    } catch (MalformedMessageException e) {
      if (!loggedMalformed) {
        loggedMalformed = true;
        log.warn(
            "dropped a malformed frame from {} at {} ({}): {} (further ones on this connection are"
                + " logged at debug)",
            peer.pkiId(),
            connection.remoteEndpoint(),
            e.reason().metricTag(),
            e.getMessage());
      } else {
        log.debug(
            "dropped a malformed frame from {} ({}): {}",
            peer.pkiId(),
            e.reason().metricTag(),
            e.getMessage());
      }
      return;
    }
    demux.dispatch(new ReceivedMessage(envelope, peer, f -> comm.sendOn(peer, f)));
  }

  @Override
  public void onClose(Connection connection, @Nullable Throwable cause) {
    if (cause != null) {
      log.debug("connection with {} failed: {}", peer.pkiId(), cause.toString());
    }
  }
}
