package org.ledgergossip.core.internal.store;

/** Why a {@link MessageStore} stopped returning a message; told to its {@link RemovalListener}. */
public enum RemovalCause {
  /** A newer message replaced it ({@link InvalidationResult#INVALIDATES}). */
  INVALIDATED,
  /**
   * It outlived the store's TTL. It is no longer returned, but keeps refusing stale duplicates
   * until it is deleted at twice the TTL.
   */
  EXPIRED,
  /** The store was full and it was the oldest message. */
  EVICTED,
  /** {@link MessageStore#purge} removed it. */
  PURGED
}
