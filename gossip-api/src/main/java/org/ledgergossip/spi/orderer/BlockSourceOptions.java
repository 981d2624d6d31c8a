package org.ledgergossip.spi.orderer;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * What a block source needs to reach the ordering service.
 *
 * @param orderers ordering-service endpoints, tried in turn; not empty
 * @param msp signs the subscription requests and verifies the orderer's signatures
 * @param tls client TLS material for the ordering service
 * @param scheduler for reconnection back-off
 * @param properties provider-specific settings
 */
public record BlockSourceOptions(
    List<Endpoint> orderers,
    Msp msp,
    TlsCredentials tls,
    Scheduler scheduler,
    Map<String, String> properties) {

  /**
   * @throws IllegalArgumentException if {@code orderers} is empty
   */
  public BlockSourceOptions {
    orderers = List.copyOf(orderers);
    if (orderers.isEmpty()) {
      throw new IllegalArgumentException("at least one ordering-service endpoint is needed");
    }
    requireNonNull(msp, "msp");
    requireNonNull(tls, "tls");
    requireNonNull(scheduler, "scheduler");
    properties = Map.copyOf(properties);
  }
}
