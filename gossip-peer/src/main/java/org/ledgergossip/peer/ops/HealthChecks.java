package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.node.GossipNode;

/**
 * The peer's standard {@link HealthCheck}s: ledger folder writable, ordering service reachable for
 * a leader, at least one alive peer after a start-up grace period.
 */
public final class HealthChecks {

  /** The component of {@link #ledgerWritable}. */
  public static final String LEDGER = "ledger";

  /** The component of {@link #orderingService}. */
  public static final String ORDERER = "orderer";

  /** The component of {@link #alivePeers}. */
  public static final String MEMBERSHIP = "membership";

  private HealthChecks() {}

  /**
   * Component {@value #LEDGER}: {@code directory} ({@code peer.fileSystemPath}) exists, is a
   * folder, and a file can be created in it and deleted again (so a read-only mount fails even for
   * root).
   */
  public static HealthCheck ledgerWritable(Path directory) {
    requireNonNull(directory, "directory");
    return HealthCheck.of(
        LEDGER,
        () -> {
          if (!Files.isDirectory(directory)) {
            return Optional.of("ledger folder " + directory + " does not exist or is not a folder");
          }
          try {
            Path probe = Files.createTempFile(directory, ".healthz-", ".tmp");
            Files.delete(probe);
            return Optional.empty();
          } catch (IOException | SecurityException e) {
            return Optional.of("ledger folder " + directory + " is not writable: " + e);
          }
        });
  }

  /**
   * Component {@value #MEMBERSHIP}: once {@code grace} has passed since the node started (on {@code
   * clock}, the node's clock), the node knows at least one alive peer. A node not running fails.
   */
  public static HealthCheck alivePeers(GossipNode node, Clock clock, Duration grace) {
    requireNonNull(node, "node");
    requireNonNull(clock, "clock");
    requireNonNull(grace, "grace");
    return HealthCheck.of(
        MEMBERSHIP,
        () -> {
          if (!node.isRunning()) {
            return Optional.of("the gossip node is not running");
          }
          Instant started = node.startedAt();
          Duration up = Duration.between(started, clock.instant());
          if (up.compareTo(grace) < 0 || !node.alivePeers().isEmpty()) {
            return Optional.empty();
          }
          return Optional.of(
              "no alive peer known " + up.toSeconds() + " s after start (grace " + grace + ")");
        });
  }

  /**
   * Component {@value #ORDERER}: in every channel this node leads, its pull from the ordering
   * service has not been failing for {@code threshold} or more.
   *
   * <p>{@link GossipNode} does not expose its block source's state, so this check samples the
   * counter {@code gossip_orderer_pull_failures_total{channel}} and the count of blocks from the
   * ordering service ({@link org.ledgergossip.node.ChannelStatus#blocks()} key {@code orderer})
   * each time it runs: a streak starts at the first sample that sees new failures and no new block,
   * ends at a sample that sees a new block (or no new failure for {@code threshold}), and the check
   * fails once a streak is {@code threshold} old. Its resolution is the interval between calls: the
   * daemon should call it periodically, not only on {@code /healthz}. A daemon that knows better
   * (the block source's own failure time) can register its own {@link HealthCheck} under this
   * component instead.
   */
  public static HealthCheck orderingService(GossipNode node, Clock clock, Duration threshold) {
    return new OrderingServiceCheck(node, clock, threshold);
  }
}
