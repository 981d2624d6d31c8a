package org.ledgergossip.spi.msp;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import org.ledgergossip.api.time.Clock;

/**
 * Where an {@link Msp} finds its material.
 *
 * @param localMspId the MSP id of this peer ({@code peer.localMspId})
 * @param localMspDir this peer's MSP folder ({@code peer.mspConfigPath}), Fabric's layout
 * @param trustedOrgs MSP id → MSP folder of every organisation whose identities are accepted (the
 *     local one included), standing in for Fabric's channel configuration
 * @param clock for validity dates and expiry
 */
public record MspOptions(
    String localMspId, Path localMspDir, Map<String, Path> trustedOrgs, Clock clock) {

  /**
   * @throws NullPointerException if any component is null
   */
  public MspOptions {
    requireNonNull(localMspId, "localMspId");
    requireNonNull(localMspDir, "localMspDir");
    trustedOrgs = Map.copyOf(trustedOrgs);
    requireNonNull(clock, "clock");
  }
}
