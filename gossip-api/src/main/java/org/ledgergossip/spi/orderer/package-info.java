/**
 * The block source SPI: how an organisation's leader receives new blocks of a channel from the
 * ordering service.
 *
 * <p>Provider: {@code deliver} (a client of Fabric's {@code AtomicBroadcast.Deliver}) arrives with
 * the blocks issue (#6) in {@code gossip-orderer}; until then {@code gossip-orderer} registers
 * {@code emulator}, which reads from an in-process ordering-service emulator.
 */
package org.ledgergossip.spi.orderer;
