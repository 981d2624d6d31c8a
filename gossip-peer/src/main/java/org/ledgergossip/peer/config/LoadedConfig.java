package org.ledgergossip.peer.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings read from a configuration file, the file they came from, and the warnings to log at
 * start-up. Immutable.
 *
 * @param <T> {@link PeerSettings} or {@link OrdererSettings}
 * @param settings the validated settings
 * @param file the absolute path of the file read (the one {@code --config} named, or the one found
 *     through {@code FABRIC_CFG_PATH})
 * @param warnings legal but probably unintended settings, one sentence each naming the key: unknown
 *     keys and environment variables (with the nearest known one), both leader flags false
 */
public record LoadedConfig<T>(T settings, Path file, List<String> warnings) {

  /** Copies the warnings; no argument may be null. */
  public LoadedConfig {
    requireNonNull(settings, "settings");
    requireNonNull(file, "file");
    warnings = List.copyOf(warnings);
  }
}
