/**
 * Fabric's four-phase pull (Hello → Digest → Request → Response): {@link
 * org.ledgergossip.core.internal.pull.PullEngine} runs the protocol over item digests (block
 * sequence numbers, PKI-IDs in hex) and talks to the network through a {@link
 * org.ledgergossip.core.internal.pull.PullAdapter}. The blocks of a channel and the identities each
 * get their own engine instance.
 *
 * <p>Internal: public because the membership and state-transfer modules use it, but not part of the
 * API and free to change.
 */
package org.ledgergossip.core.internal.pull;
