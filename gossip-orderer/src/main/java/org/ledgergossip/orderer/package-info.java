/**
 * The ordering side of a network: {@link org.ledgergossip.orderer.OrdererEmulator}, an ordering
 * service in one process that cuts blocks in Fabric's format, and the {@code emulator} {@link
 * org.ledgergossip.spi.orderer.BlockSource} that reads from it in-process. The gRPC {@code
 * AtomicBroadcast} service and the {@code deliver} client of a real orderer come next.
 */
package org.ledgergossip.orderer;
