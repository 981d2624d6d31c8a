/**
 * The leader election SPI: decides, per channel, whether this peer is its organisation's leader,
 * the one that pulls blocks from the ordering service.
 *
 * <p>Providers: {@code static} ({@code peer.gossip.orgLeader}) and {@code dynamic} (Fabric's
 * algorithm) arrive with the election issue (#7) in {@code gossip-election}; until then no provider
 * is registered. Conformance: {@code ElectionContract} in {@code gossip-tck}, added with them.
 */
package org.ledgergossip.spi.election;
