package org.ledgergossip.core.internal.pull;

import java.util.Locale;

/**
 * Why a {@link PullEngine} ignored an incoming pull message. Each is counted in {@value
 * PullEngine#IGNORED_COUNTER} under its {@link #metricTag()}; an ignored message never changes the
 * engine's state and is never answered.
 */
public enum IgnoreReason {
  /** A null sender or list, or an item that is null, empty or longer than the configured limit. */
  MALFORMED,
  /** More items in the message than the configured maximum per message. */
  TOO_MANY_ITEMS,
  /** The engine is stopped. */
  STOPPED,
  /** A hello that would exceed the bound on outstanding nonces. */
  TOO_MANY_NONCES,
  /**
   * A digest or response whose nonce was not sent by us in a current round, or a request whose
   * nonce (from that sender) is not one of a digest we sent it.
   */
  UNKNOWN_NONCE,
  /** A digest or response whose nonce we sent to another peer. */
  WRONG_PEER,
  /** A second hello, digest, request or response for the same nonce from the same peer. */
  DUPLICATE,
  /** A digest that arrived after {@code digestWaitTime} of its round. */
  DIGEST_TOO_LATE,
  /** A request that arrived more than {@code requestWaitTime} after we sent our digest. */
  REQUEST_TOO_LATE,
  /** A response from a peer we sent a hello to but no request (in that round, or not yet). */
  NOT_REQUESTED,
  /** A response carrying an item we did not request from that peer. */
  UNREQUESTED_ITEMS,
  /** A response that arrived more than {@code responseWaitTime} after we sent the request. */
  RESPONSE_TOO_LATE,
  /** The ingress or egress digest filter threw; the message was dropped (and the error logged). */
  FILTER_FAILED;

  /** The lower-case name, the {@code reason} tag of the counter. */
  public String metricTag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
