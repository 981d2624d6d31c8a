/**
 * The transport SPI: moves opaque, length-delimited frames between endpoints. Signing, the
 * handshake and message semantics live in {@code gossip-core}, so a transport never touches
 * protobuf or crypto.
 *
 * <p>Providers: {@code inmemory} ({@code gossip-transport-inmemory}, tests and simulation) and
 * {@code netty} ({@code gossip-transport-netty}, mutual TLS over TCP); {@code grpc} (Fabric's own
 * gossip service) arrives with its issue. Conformance: {@code
 * org.ledgergossip.tck.TransportContract}.
 */
package org.ledgergossip.spi.transport;
