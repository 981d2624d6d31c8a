package org.ledgergossip.core.internal.store;

/**
 * Told when a {@link MessageStore} stops returning a message: Fabric's invalidation trigger and
 * expiry callback in one.
 *
 * <p><b>Threading.</b> Called outside the store's lock, so it may call the store back; on the
 * thread of the {@link MessageStore#add add} or {@link MessageStore#purge purge} that caused the
 * removal, and for {@link RemovalCause#EXPIRED} on the store's scheduler. Calls caused by different
 * threads may therefore arrive concurrently and, between threads, in any order. Each accepted
 * {@link MessageStore#add add} is reported at most once: a message that expired is not reported
 * again when it is later replaced, evicted, purged or deleted. An exception thrown by the listener
 * is logged and swallowed; the store's state is already updated when the listener runs.
 *
 * @param <M> the message type
 */
@FunctionalInterface
public interface RemovalListener<M> {

  /**
   * Called once for {@code message}, never null, when it stops being returned by the store.
   *
   * @param cause why it was removed
   */
  void onRemoval(M message, RemovalCause cause);
}
