/**
 * The service provider interfaces: how teams plug in their own transport ({@code transport}),
 * identity ({@code msp}), leader election ({@code election}), ledger storage ({@code ledger}) and
 * ordering-service client ({@code orderer}) without touching the core. Each SPI has a {@code
 * *Provider} found by {@link java.util.ServiceLoader} and a conformance suite in {@code
 * gossip-tck}.
 */
package org.ledgergossip.spi;
