/**
 * The block source SPI: how an organisation's leader receives new blocks of a channel from the
 * ordering service.
 *
 * <p>Providers, both in {@code gossip-orderer}: {@code deliver} (the default), a gRPC client of
 * Fabric's {@code AtomicBroadcast.Deliver} with mutual TLS that works against a Fabric orderer or
 * the emulator's {@code OrdererServer}; and {@code emulator}, which reads from an in-process
 * ordering-service emulator (tests and the demo; used only when named).
 */
package org.ledgergossip.spi.orderer;
