/**
 * The identity SPI (Fabric's MSP, "membership service provider"): deserializes and validates
 * identities against the trusted organisations' CAs, verifies signatures, signs with the local
 * identity and derives PKI-IDs.
 *
 * <p>Provider: {@code x509} (BouncyCastle, Fabric's MSP folder layout) arrives with the identity
 * issue (#3) in {@code gossip-msp}; until then no provider is registered. Conformance: {@code
 * MspContract} in {@code gossip-tck}, added with that provider.
 */
package org.ledgergossip.spi.msp;
