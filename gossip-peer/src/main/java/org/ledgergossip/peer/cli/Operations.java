package org.ledgergossip.peer.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.ledgergossip.peer.config.PeerSettings;
import org.ledgergossip.peer.daemon.PeerDaemon;

/**
 * The operations side of a running peer: its meter registry and (with the operations server) its
 * HTTP endpoints. Not thread-safe: the start command drives it.
 */
final class Operations implements AutoCloseable {

  private final MeterRegistry meters = new SimpleMeterRegistry();

  private Operations() {}

  /** Prepares the endpoints of {@code settings.operations()}. */
  static Operations start(PeerSettings settings) throws IOException {
    return new Operations();
  }

  MeterRegistry meters() {
    return meters;
  }

  /** Starts answering for {@code daemon}. */
  void serve(PeerDaemon daemon) {}

  @Override
  public void close() {
    meters.close();
  }
}
