package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The build's version and commit, as {@code GET /version} shows them ({@code
 * {"version":"…","commit":"…"}}).
 *
 * @param version the project version, or {@code unknown}
 * @param commit the source commit, or {@code unknown}
 */
public record VersionInfo(String version, String commit) {

  /** The value of a field nobody filled in. */
  public static final String UNKNOWN = "unknown";

  private static final String RESOURCE = "version.properties";

  /**
   * @throws NullPointerException if a component is null
   */
  public VersionInfo {
    requireNonNull(version, "version");
    requireNonNull(commit, "commit");
  }

  /**
   * This build's: from {@code org/ledgergossip/peer/ops/version.properties} (written by the build),
   * else the jar manifest's {@code Implementation-Version}, else {@value #UNKNOWN}.
   */
  public static VersionInfo load() {
    Properties p = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException | IllegalArgumentException e) {
      // a damaged resource: fall back to the manifest
    }
    String version = filled(p.getProperty("version"));
    if (version == null) {
      version = filled(VersionInfo.class.getPackage().getImplementationVersion());
    }
    String commit = filled(p.getProperty("commit"));
    return new VersionInfo(version == null ? UNKNOWN : version, commit == null ? UNKNOWN : commit);
  }

  /** {@code value} unless it is missing, blank or an unfiltered {@code ${...}} placeholder. */
  private static @Nullable String filled(@Nullable String value) {
    if (value == null || value.isBlank() || value.startsWith("${")) {
      return null;
    }
    return value.trim();
  }

  /** The JSON of {@code GET /version}. */
  String toJson() {
    return new JsonWriter()
        .beginObject()
        .field("version", version)
        .field("commit", commit)
        .endObject()
        .toString();
  }
}
