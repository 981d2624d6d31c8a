/**
 * The leader election SPI: decides, per channel, whether this peer is its organisation's leader,
 * the one that pulls blocks from the ordering service.
 *
 * <p>Providers: {@code static} ({@code peer.gossip.orgLeader}) and {@code dynamic} (Fabric's
 * algorithm, the default) in {@code gossip-election}. Conformance: {@code ElectionContract} in
 * {@code gossip-tck}, on the simulated group {@code ElectionGroup}.
 */
package org.ledgergossip.spi.election;
