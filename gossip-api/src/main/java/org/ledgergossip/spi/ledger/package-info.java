/**
 * The ledger storage SPI: an append-only store of one channel's blocks.
 *
 * <p>Providers, in {@code gossip-ledger}: {@code file} (the default: append-only checksummed
 * segment files, crash recovery, one writer per directory; properties {@code file.fsync}, {@code
 * file.fsync.batch}, {@code file.segmentSize}) and {@code memory} (on the heap, for tests).
 * Conformance: {@code LedgerStoreContract} in {@code gossip-tck}.
 */
package org.ledgergossip.spi.ledger;
