/**
 * Blocks on a channel (Fabric's {@code gossip/state} and the block half of {@code
 * gossip/gossip/channel}): the {@link org.ledgergossip.statetransfer.PayloadBuffer} that commits
 * blocks in order, the push of the leader's blocks to the organisation's channel members and the
 * block pull, and anti-entropy catch-up with {@code RemoteStateRequest}/{@code
 * RemoteStateResponse}. Everything it needs from a channel goes through {@link
 * org.ledgergossip.statetransfer.StateChannel}.
 */
package org.ledgergossip.statetransfer;
