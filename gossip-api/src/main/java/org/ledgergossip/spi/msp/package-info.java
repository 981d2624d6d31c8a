/**
 * The identity SPI (Fabric's MSP, "membership service provider"): deserializes and validates
 * identities against the trusted organisations' CAs, verifies signatures, signs with the local
 * identity and derives PKI-IDs.
 *
 * <p>Provider: {@code x509} in {@code gossip-msp} (BouncyCastle, Fabric's MSP folder layout).
 * Conformance: {@code org.ledgergossip.tck.MspContract}.
 */
package org.ledgergossip.spi.msp;
