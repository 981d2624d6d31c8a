package org.ledgergossip.ledger;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * When the {@code file} store forces appended blocks to the storage device ({@code fsync}),
 * configured by {@value FileLedgerStoreProvider#FSYNC_PROPERTY}. Every policy survives a crash of
 * the process (the operating system holds what was written); they differ on a power loss or kernel
 * crash.
 */
enum FsyncPolicy {
  /** Each {@code append} forces its block before returning: survives power loss. */
  ALWAYS,
  /**
   * Every {@value FileLedgerStoreProvider#FSYNC_BATCH_PROPERTY} blocks, when a segment is sealed
   * and on close: a power loss may drop up to that many acknowledged blocks.
   */
  BATCH,
  /** Only when a segment is sealed and on close: the operating system decides the rest. */
  NEVER;

  /** The policy named {@code value} in any case, or null if none is. */
  static @Nullable FsyncPolicy parse(String value) {
    for (FsyncPolicy p : values()) {
      if (p.name().equals(value.toUpperCase(Locale.ROOT))) {
        return p;
      }
    }
    return null;
  }

  /** The lower-case name used in configuration. */
  String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
