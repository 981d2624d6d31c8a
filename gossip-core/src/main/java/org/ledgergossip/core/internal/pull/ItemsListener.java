package org.ledgergossip.core.internal.pull;

import java.util.List;

/**
 * Told which items a {@link PullEngine} took from a response, so that the owner of the engine keeps
 * the matching payloads of that response and drops the rest.
 *
 * <p><b>Threading.</b> Called on the thread that called {@link PullEngine#onResponse}, after the
 * items were added to the engine and before {@code onResponse} returns, without the engine's lock
 * held. Must be thread-safe if responses arrive on several threads.
 *
 * <p><b>Nullability and errors.</b> Arguments are never null; {@code items} is unmodifiable and
 * non-empty. A {@link RuntimeException} thrown is logged and swallowed by the engine.
 *
 * @param <P> the peer identity type
 */
@FunctionalInterface
public interface ItemsListener<P> {

  /** Called with the items of {@code from}'s response that were new and accepted. */
  void onItemsPulled(P from, List<String> items);
}
