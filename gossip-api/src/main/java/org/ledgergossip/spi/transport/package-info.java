/**
 * The transport SPI: moves opaque, length-delimited frames between endpoints. Signing, the
 * handshake and message semantics live in {@code gossip-core}, so a transport never touches
 * protobuf or crypto.
 *
 * <p>Providers: {@code inmemory} ({@code gossip-transport-inmemory}, tests and simulation), {@code
 * netty} (mutual TLS over TCP) and {@code grpc} (Fabric's own gossip service) arrive with their
 * issues. Conformance: {@code org.ledgergossip.tck.TransportContract}.
 */
package org.ledgergossip.spi.transport;
