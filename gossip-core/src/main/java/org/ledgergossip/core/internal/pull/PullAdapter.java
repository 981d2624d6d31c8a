package org.ledgergossip.core.internal.pull;

import java.util.List;

/**
 * What a {@link PullEngine} needs from the rest of the node: whom to pull from, and a way to send
 * the four pull messages. The engine calls {@link PullEngine#onHello}, {@link PullEngine#onDigest},
 * {@link PullEngine#onRequest} and {@link PullEngine#onResponse} of the remote engine through the
 * messages sent here; the adapter carries the real items (blocks, identities) in the response
 * message, the engine only deals in their digests.
 *
 * <p><b>Threading.</b> Methods are called from the engine's scheduler (a pull round: {@link
 * #selectPeers}, {@link #hello}, {@link #sendRequest}) and from whatever thread called one of the
 * engine's {@code on*} methods ({@link #sendDigest}, {@link #sendResponse}), so possibly
 * concurrently: implementations must be thread-safe. They must not block (queue the message and
 * return). The engine never holds its lock while calling the adapter, so an adapter may call back
 * into the engine.
 *
 * <p><b>Nullability.</b> Arguments are never null; lists are unmodifiable, non-empty and hold no
 * null. {@link #selectPeers} must not return null (return an empty list instead).
 *
 * <p><b>Errors.</b> A {@link RuntimeException} thrown by a method is logged by the engine and
 * swallowed: the message counts as lost, exactly as if the network had dropped it.
 *
 * @param <P> the peer identity type; must have value {@code equals}/{@code hashCode} (e.g. {@code
 *     PkiId})
 */
public interface PullAdapter<P> {

  /**
   * The peers to start a pull round with (Fabric: {@code pullPeerNum} random alive peers, never
   * this peer). Duplicates and nulls are skipped.
   */
  List<P> selectPeers();

  /** Sends a {@code GossipHello} with {@code nonce} to {@code dest}. */
  void hello(P dest, long nonce);

  /**
   * Sends a {@code DataDigest} of {@code digests} answering the hello {@code nonce} of {@code
   * dest}.
   */
  void sendDigest(P dest, List<String> digests, long nonce);

  /** Sends a {@code DataRequest} for {@code items} to {@code dest}, echoing its digest's nonce. */
  void sendRequest(P dest, List<String> items, long nonce);

  /**
   * Sends a {@code DataUpdate} with the items named by {@code items} to {@code dest}, echoing its
   * request's nonce. The adapter looks the items up by digest; one it no longer has is left out.
   */
  void sendResponse(P dest, List<String> items, long nonce);
}
