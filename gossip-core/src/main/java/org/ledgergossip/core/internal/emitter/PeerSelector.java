package org.ledgergossip.core.internal.emitter;

import java.util.List;

/**
 * Gives the peers a message may be pushed to: the routing of Fabric's {@code gossipBatch} (blocks
 * to same-org channel members, state info by disclosure, alive messages by the disclosure policy,
 * and so on). The {@link BatchingEmitter} picks its random targets among them and removes the
 * message's origin itself.
 *
 * <p><b>Threading.</b> Called on the emitter's scheduler, outside the emitter's lock, once per
 * message and flush; it may take its own locks. For reproducible runs it should return the peers in
 * a deterministic order (the random choice is made by position). An exception thrown skips the
 * message for that flush (the flush still counts for it) and is logged.
 *
 * @param <M> the message type
 * @param <P> the peer type, compared with {@link Object#equals}
 */
@FunctionalInterface
public interface PeerSelector<M, P> {

  /**
   * The peers {@code message} may be sent to now; never null, possibly empty, without null
   * elements. Duplicates are ignored.
   */
  List<P> eligiblePeers(M message);
}
