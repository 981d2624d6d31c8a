/**
 * Fabric's discovery layer ({@code gossip/discovery}): signed alive messages ({@link
 * org.ledgergossip.membership.AliveMessages}), the rule that decides which alive messages may be
 * told to which peer ({@link org.ledgergossip.membership.DisclosurePolicy}) and the alive/dead view
 * of the network ({@link org.ledgergossip.membership.MembershipView}); and, per channel (Fabric's
 * {@code gossip/gossip/channel}), the signed state info of each peer and the channel's members
 * ({@link org.ledgergossip.membership.GossipChannels}, {@link
 * org.ledgergossip.membership.GossipChannel}).
 */
package org.ledgergossip.membership;
