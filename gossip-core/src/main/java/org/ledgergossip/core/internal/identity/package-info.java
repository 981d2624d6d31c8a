/**
 * Fabric's identity mapper ({@code gossip/identity}): the PKI-ID → identity map of the peers this
 * peer knows, with validation on put, removal at certificate expiry, purge after long disuse and
 * re-validation after the MSP reloads its CRLs; {@link
 * org.ledgergossip.core.internal.identity.IdentityMapper}. Built on the {@code Msp} SPI only.
 *
 * <p>Internal: public because the membership module uses it, but not part of the API and free to
 * change.
 */
package org.ledgergossip.core.internal.identity;
