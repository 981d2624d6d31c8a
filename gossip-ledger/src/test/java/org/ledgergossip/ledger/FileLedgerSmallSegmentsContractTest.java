package org.ledgergossip.ledger;

import java.util.Map;

/**
 * The {@code file} store passes the ledger contract with 16 KiB segments, so that appends, reads,
 * reopening and concurrent readers all cross segment boundaries, under {@code fsync=batch}.
 */
class FileLedgerSmallSegmentsContractTest extends FileLedgerContractTest {

  @Override
  protected Map<String, String> properties() {
    return Map.of(
        FileLedgerStoreProvider.SEGMENT_SIZE_PROPERTY,
        "16384",
        FileLedgerStoreProvider.FSYNC_PROPERTY,
        "batch",
        FileLedgerStoreProvider.FSYNC_BATCH_PROPERTY,
        "5");
  }
}
