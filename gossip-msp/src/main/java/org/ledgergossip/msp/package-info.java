/**
 * The {@code x509} identity provider ({@link org.ledgergossip.msp.X509MspProvider}): Fabric's MSP
 * folder layout, X.509 certificates with ECDSA P-256 keys on BouncyCastle and the JDK, Fabric's
 * {@code SerializedIdentity} and PKI-ID, low-S signatures; and {@link
 * org.ledgergossip.msp.Cryptogen}, which writes Fabric's {@code crypto-config} layout for tests and
 * tools. The store of known peer identities (expiry, usage purge, re-validation) is in the core,
 * {@code org.ledgergossip.core.internal.identity.IdentityMapper}, built on the SPI alone.
 */
package org.ledgergossip.msp;
