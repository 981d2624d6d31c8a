package org.ledgergossip.node;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.transport.Transport;

/**
 * Everything {@link GossipNode.Builder} collected, checked and frozen by {@link
 * GossipNode.Builder#build()}.
 */
record NodeSettings(
    GossipConfig config,
    Endpoint listen,
    @Nullable Endpoint externalEndpoint,
    @Nullable Msp msp,
    @Nullable String mspProvider,
    @Nullable MspOptions mspOptions,
    @Nullable Transport transport,
    @Nullable String transportProvider,
    Map<String, String> transportProperties,
    @Nullable String ledgerProvider,
    @Nullable Path ledgerDirectory,
    Map<String, String> ledgerProperties,
    @Nullable BlockSource blockSource,
    @Nullable String blockSourceProvider,
    List<Endpoint> orderers,
    Map<String, String> blockSourceProperties,
    Set<String> ordererMspIds,
    @Nullable String electionProvider,
    Map<String, Set<String>> channels,
    Map<String, List<Endpoint>> anchorPeers,
    @Nullable Scheduler scheduler,
    @Nullable MeterRegistry meters,
    long seed,
    @Nullable Long incNum,
    Duration ordererBackpressure,
    Duration yieldAfter) {

  NodeSettings {
    transportProperties = Map.copyOf(transportProperties);
    ledgerProperties = Map.copyOf(ledgerProperties);
    blockSourceProperties = Map.copyOf(blockSourceProperties);
    channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    anchorPeers = Collections.unmodifiableMap(new LinkedHashMap<>(anchorPeers));
  }

  /** The election strategy's name: the one set, else Fabric's choice by the leader flags. */
  String electionName() {
    if (electionProvider != null) {
      return electionProvider;
    }
    return config.useLeaderElection() ? "dynamic" : "static";
  }
}
