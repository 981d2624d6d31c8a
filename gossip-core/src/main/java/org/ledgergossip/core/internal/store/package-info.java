/**
 * Fabric's message stores ({@code gossip/msgstore}): a bounded store of gossip messages in which a
 * {@link org.ledgergossip.core.internal.store.ReplacementPolicy} decides whether an incoming
 * message replaces, is refused by, or lives beside each stored one, with optional expiry after a
 * TTL.
 *
 * <p>Membership (alive messages), channels (state info, blocks), leader election (leadership
 * messages) and the identity pull all keep their messages in a {@link
 * org.ledgergossip.core.internal.store.MessageStore}; the ready-made policies are on {@link
 * org.ledgergossip.core.internal.store.ReplacementPolicy}.
 *
 * <p>Internal: public because other modules of ours use it, but not part of the API and free to
 * change.
 */
package org.ledgergossip.core.internal.store;
