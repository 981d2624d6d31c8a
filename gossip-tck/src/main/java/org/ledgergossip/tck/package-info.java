/**
 * The conformance kit: abstract JUnit 5 classes an implementer extends and feeds a factory, one per
 * SPI ({@link org.ledgergossip.tck.TransportContract}, {@link org.ledgergossip.tck.MspContract},
 * {@link org.ledgergossip.tck.LedgerStoreContract}, {@link org.ledgergossip.tck.ElectionContract},
 * {@link org.ledgergossip.tck.ProviderContract}; more arrive with the SPIs' providers).
 *
 * <p>Test names state the rule and its strength: {@code required_…} must pass for an implementation
 * to conform; {@code optional_…} checks a capability the implementation declares, and is skipped
 * (never passed) when it does not declare it.
 */
package org.ledgergossip.tck;
