/**
 * Fabric's batching emitter ({@code gossip/gossip/batcher.go}), the push phase of gossip: messages
 * to spread are queued and flushed in batches to a few random eligible peers.
 *
 * <p>Internal: public because other modules of ours use it, but not part of the API and free to
 * change.
 */
package org.ledgergossip.core.internal.emitter;
