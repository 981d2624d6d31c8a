package org.ledgergossip.core.internal.emitter;

import java.util.List;
import java.util.Map;

/**
 * Sends one flush of a {@link BatchingEmitter}: for each destination, the messages to send it in
 * one go, so that a transport can write them together. Fabric's emitter hands the batch to a
 * callback that sends every message to each of its peers one by one; grouping by destination is
 * ours.
 *
 * <p><b>Threading.</b> Called on the emitter's scheduler, outside the emitter's lock, one flush at
 * a time; it must not block (hand the messages to the transport's send queue). An exception thrown
 * is logged; the messages count as emitted.
 *
 * @param <M> the message type
 * @param <P> the peer type
 */
@FunctionalInterface
public interface Emit<M, P> {

  /**
   * Sends the messages of one flush.
   *
   * @param byDestination never null nor empty, immutable: each destination (in the order they were
   *     first chosen) with its messages (in queue order, each at most once); no list is empty
   */
  void emit(Map<P, List<M>> byDestination);
}
