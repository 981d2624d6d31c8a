/**
 * Channels as the comm layer sees them (Fabric's {@code gossip/gossip/channel} MAC and the channel
 * lookup of {@code gossip/gossip/chanstate.go}): the channel MAC that names a channel in state-info
 * messages without revealing it, and the router that hands each channel-restricted message to the
 * channel it belongs to, dropping those of channels this peer has not joined.
 *
 * <p>Internal: public because other modules of ours use it, but not part of the API and free to
 * change.
 */
package org.ledgergossip.core.internal.channel;
