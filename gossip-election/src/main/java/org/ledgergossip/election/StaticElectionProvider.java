package org.ledgergossip.election;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.ElectionStrategyProvider;

/**
 * The {@code static} {@link ElectionStrategyProvider}: this peer leads iff {@code
 * peer.gossip.orgLeader} is true, from {@link ElectionStrategy#start()} until {@link
 * ElectionStrategy#close()}; it never changes, ignores leadership messages and cannot yield.
 *
 * <p>Stateless and thread-safe.
 */
@AutoService(ElectionStrategyProvider.class)
public final class StaticElectionProvider implements ElectionStrategyProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "static";

  /** The provider's priority, {@value}: below {@code dynamic}'s. */
  public static final int PRIORITY = 5;

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public StaticElectionProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * The static strategy of one channel.
   *
   * @throws NullPointerException if {@code context} is null
   */
  @Override
  public ElectionStrategy create(ElectionContext context) {
    return new StaticElection(requireNonNull(context, "context"));
  }
}
