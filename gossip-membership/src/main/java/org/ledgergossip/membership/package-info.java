/**
 * Fabric's discovery layer ({@code gossip/discovery}): signed alive messages ({@link
 * org.ledgergossip.membership.AliveMessages}), the rule that decides which alive messages may be
 * told to which peer ({@link org.ledgergossip.membership.DisclosurePolicy}) and the alive/dead view
 * of the network ({@link org.ledgergossip.membership.MembershipView}).
 */
package org.ledgergossip.membership;
