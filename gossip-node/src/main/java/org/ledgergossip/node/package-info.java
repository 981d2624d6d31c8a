/**
 * The library's front door: {@link org.ledgergossip.node.GossipNode}, a whole peer built from a
 * {@link org.ledgergossip.api.GossipConfig} and plugins chosen by name (transport, MSP, ledger
 * store, block source, election strategy), with its membership view, channels, ledger heights,
 * leadership and events.
 */
package org.ledgergossip.node;
