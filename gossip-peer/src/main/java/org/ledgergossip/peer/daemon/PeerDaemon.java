package org.ledgergossip.peer.daemon;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.node.NodeStartException;
import org.ledgergossip.peer.config.PeerSettings;
import org.ledgergossip.spi.msp.MspOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer as {@code gossip peer start} runs it: a {@link GossipNode} built from a {@code
 * core.yaml}'s {@link PeerSettings}, with every plugin chosen by its name there.
 *
 * <p>Mapping: {@code peer.address} is the internal endpoint (unless {@code peer.gossip.endpoint}
 * says otherwise), {@code peer.listenAddress} where it listens, {@code peer.fileSystemPath} its
 * ledgers, {@code peer.organizations} the MSPs it trusts, and each channel of {@code peer.channels}
 * is joined with every trusted organisation but the ordering service's. The block source reaches
 * {@code peer.orderers.endpoints} and accepts blocks signed by {@code peer.orderers.mspId}; {@code
 * peer.anchorPeers} are dialled at start.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class PeerDaemon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PeerDaemon.class);

  private final PeerSettings settings;
  private final GossipNode node;
  private final OperatorLog operatorLog;

  private PeerDaemon(PeerSettings settings, GossipNode node, OperatorLog operatorLog) {
    this.settings = settings;
    this.node = node;
    this.operatorLog = operatorLog;
  }

  /**
   * Builds and starts the peer.
   *
   * @param meters where the node's meters go (the operations endpoint's Prometheus registry)
   * @throws NodeStartException naming what failed: an endpoint in use, a ledger folder locked, a
   *     plugin not found (listing those found) or refusing its options
   */
  public static PeerDaemon start(PeerSettings settings, MeterRegistry meters)
      throws NodeStartException {
    requireNonNull(settings, "settings");
    GossipNode node = builder(settings).meterRegistry(meters).build();
    OperatorLog operatorLog = new OperatorLog(node);
    var unused = node.addListener(operatorLog);
    node.start();
    operatorLog.startChecks();
    log.info(
        "peer {} joined: listening on {}, channels {}, election {}",
        settings.id(),
        node.endpoint(),
        node.channels(),
        settings.plugins().election());
    return new PeerDaemon(settings, node, operatorLog);
  }

  /** The node's builder for {@code settings}, not built: for callers that add to it. */
  public static GossipNode.Builder builder(PeerSettings settings) {
    GossipConfig gossip = settings.gossip();
    if (gossip.endpoint().isEmpty()) {
      gossip = gossip.toBuilder().endpoint(settings.address()).build();
    }
    String ordererMspId = settings.orderers().mspId();
    Map<String, java.nio.file.Path> trusted = settings.trustedOrganizations();
    Set<String> channelOrgs = new LinkedHashSet<>(trusted.keySet());
    channelOrgs.remove(ordererMspId);
    GossipNode.Builder b =
        GossipNode.builder()
            .config(gossip)
            .msp(
                settings.plugins().msp(),
                new MspOptions(
                    settings.localMspId(), settings.mspConfigPath(), trusted, Clock.system()))
            .transport(settings.plugins().transport(), Map.of())
            .listen(settings.listenAddress())
            .ledger(settings.plugins().ledgerStore(), Map.of())
            .ledgerDirectory(settings.fileSystemPath())
            .election(settings.plugins().election())
            .ordererMspIds(Set.of(ordererMspId));
    if (!settings.orderers().endpoints().isEmpty()) {
      b.blockSource(
          settings.plugins().blockSource(),
          settings.orderers().endpoints(),
          Map.of("deliver.ordererMspIds", ordererMspId, "emulator.ordererMspIds", ordererMspId));
    }
    settings.anchorPeers().forEach(b::anchorPeers);
    for (String channel : settings.channels()) {
      b.channel(channel, channelOrgs);
    }
    return b;
  }

  /** The running node. */
  public GossipNode node() {
    return node;
  }

  /** The settings it runs with. */
  public PeerSettings settings() {
    return settings;
  }

  /** Stops the peer: elections, state transfer, ledgers synced and closed, connections. */
  @Override
  public void close() {
    operatorLog.close();
    node.close();
    log.info("peer {} stopped", settings.id());
  }
}
