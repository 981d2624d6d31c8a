/**
 * The ordering side of a network: {@link org.ledgergossip.orderer.OrdererEmulator}, an ordering
 * service in one process that cuts blocks in Fabric's format; {@link
 * org.ledgergossip.orderer.OrdererServer}, which serves it as Fabric's gRPC {@code AtomicBroadcast}
 * service ({@code Deliver} and {@code Broadcast}) over mutual TLS; and two {@link
 * org.ledgergossip.spi.orderer.BlockSource}s: {@code deliver} ({@link
 * org.ledgergossip.orderer.DeliverBlockSourceProvider}), the gRPC client of any Fabric orderer, and
 * {@code emulator}, which reads from an emulator of this process. This is the only module that
 * depends on gRPC.
 */
package org.ledgergossip.orderer;
