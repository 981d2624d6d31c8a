package org.ledgergossip.core.internal.store;

/**
 * How an incoming message relates to a stored one, as a {@link ReplacementPolicy} decides it;
 * Fabric's {@code common.InvalidationResult}.
 */
public enum InvalidationResult {
  /** The incoming message replaces the stored one, which is removed. */
  INVALIDATES,
  /** The incoming message is stale next to the stored one and is refused. */
  INVALIDATED,
  /** The two messages are unrelated; both may be stored. */
  NO_ACTION
}
