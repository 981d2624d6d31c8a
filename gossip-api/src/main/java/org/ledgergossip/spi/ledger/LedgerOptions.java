package org.ledgergossip.spi.ledger;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how to open a channel's ledger.
 *
 * @param channel the channel name
 * @param directory the folder of this channel's ledger ({@code peer.fileSystemPath}/…); stores that
 *     keep nothing on disk ignore it
 * @param properties provider-specific settings (for example {@code file.fsync=always})
 */
public record LedgerOptions(String channel, Path directory, Map<String, String> properties) {

  /**
   * @throws NullPointerException if any component is null
   */
  public LedgerOptions {
    requireNonNull(channel, "channel");
    requireNonNull(directory, "directory");
    properties = Map.copyOf(properties);
  }
}
