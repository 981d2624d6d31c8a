/**
 * The kit's network rules: {@link org.ledgergossip.tck.network.NetworkContract} proves a plugin
 * inside a whole network of {@link org.ledgergossip.node.GossipNode}s on {@link
 * org.ledgergossip.tck.network.TckNetwork}, in virtual time.
 */
package org.ledgergossip.tck.network;
