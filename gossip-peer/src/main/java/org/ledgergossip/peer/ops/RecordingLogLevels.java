package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

/** {@link LogLevels} that only remember the spec. Thread-safe. */
final class RecordingLogLevels implements LogLevels {

  private volatile LogSpec spec;

  RecordingLogLevels(LogSpec initial) {
    this.spec = requireNonNull(initial, "initial");
  }

  @Override
  public LogSpec spec() {
    return spec;
  }

  @Override
  public void apply(LogSpec spec) {
    this.spec = requireNonNull(spec, "spec");
  }

  @Override
  public String toString() {
    return "RecordingLogLevels[" + spec + "]";
  }
}
