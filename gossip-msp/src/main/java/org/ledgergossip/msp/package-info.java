/**
 * The {@code x509} identity provider ({@link org.ledgergossip.msp.X509MspProvider}): Fabric's MSP
 * folder layout, X.509 certificates with ECDSA P-256 keys on BouncyCastle and the JDK, Fabric's
 * {@code SerializedIdentity} and PKI-ID, low-S signatures; the {@link
 * org.ledgergossip.msp.IdentityStore} of known peer identities with expiry, usage purge and
 * re-validation; and {@link org.ledgergossip.msp.Cryptogen}, which writes Fabric's {@code
 * crypto-config} layout for tests and tools.
 */
package org.ledgergossip.msp;
