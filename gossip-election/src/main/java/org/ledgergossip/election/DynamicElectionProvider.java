package org.ledgergossip.election;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import java.time.Duration;
import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionSettings;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.ElectionStrategyProvider;

/**
 * The {@code dynamic} {@link ElectionStrategyProvider}: Fabric's leader election ({@code
 * gossip/election}), with the same wire messages, among the alive same-organisation members of one
 * channel.
 *
 * <ul>
 *   <li>Start-up: the view size is sampled every {@code membershipSampleInterval} until it stops
 *       changing, {@code startupGracePeriod} has passed, or a declaration arrives.
 *   <li>No leader known: propose, wait {@code leaderElectionDuration} (cut short by a declaration);
 *       become leader unless a declaration arrived or an alive peer with a lower PKI-ID proposed.
 *   <li>Leader: declares every {@code leaderAliveThreshold / 2}; steps down on a declaration from a
 *       lower PKI-ID.
 *   <li>Follower: starts an election once no declaration has arrived for {@code
 *       leaderAliveThreshold} (measured from the last declaration, so failover takes at most {@code
 *       leaderAliveThreshold + leaderElectionDuration}, where Fabric's fixed sleep can take twice
 *       the threshold).
 *   <li>Yield: the leader steps down and does not stand again for 6 × {@code leaderAliveThreshold}
 *       unless it hears another leader.
 * </ul>
 *
 * <p>Messages not newer (by {@link org.ledgergossip.api.PeerTime}) than the last one of the same
 * sender, from peers not in {@link ElectionContext#alivePeers()}, or from this peer are dropped and
 * reported through {@link ElectionContext#messageDropped}. Every timer runs on the context's
 * scheduler. Stateless and thread-safe.
 */
@AutoService(ElectionStrategyProvider.class)
public final class DynamicElectionProvider implements ElectionStrategyProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "dynamic";

  /** The provider's priority, {@value}: the default election. */
  public static final int PRIORITY = 10;

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public DynamicElectionProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * The dynamic strategy of one channel.
   *
   * @throws NullPointerException if {@code context} is null
   * @throws IllegalArgumentException if a duration of the settings is negative, or the alive
   *     threshold, election duration or sample interval is zero
   */
  @Override
  public ElectionStrategy create(ElectionContext context) {
    requireNonNull(context, "context");
    ElectionSettings s = requireNonNull(context.settings(), "settings");
    positive("membershipSampleInterval", s.membershipSampleInterval());
    positive("leaderAliveThreshold", s.leaderAliveThreshold());
    positive("leaderElectionDuration", s.leaderElectionDuration());
    if (s.startupGracePeriod().isNegative()) {
      throw new IllegalArgumentException(
          "peer.gossip.election.startupGracePeriod must not be negative: "
              + s.startupGracePeriod());
    }
    return new DynamicElection(context);
  }

  private static void positive(String key, Duration d) {
    requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("peer.gossip.election." + key + " must be positive: " + d);
    }
  }
}
