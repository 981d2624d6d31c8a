/**
 * The ledger storage SPI: an append-only store of one channel's blocks.
 *
 * <p>Providers: {@code memory} and {@code file} arrive with the blocks issue (#6) in {@code
 * gossip-ledger}; until then no provider is registered. Conformance: {@code LedgerStoreContract} in
 * {@code gossip-tck}, added with those providers.
 */
package org.ledgergossip.spi.ledger;
