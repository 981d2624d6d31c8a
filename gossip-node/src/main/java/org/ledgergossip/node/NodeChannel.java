package org.ledgergossip.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.search.Search;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.LeadershipEvent;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.membership.ChannelMember;
import org.ledgergossip.membership.GossipChannel;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.statetransfer.BlockValidator;
import org.ledgergossip.statetransfer.StateTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of a {@link GossipNode}: the membership channel, its ledger, state transfer, the
 * election strategy and the leader's pull from the ordering service, wired together. Leadership
 * gained starts the pull from the ledger height and makes state transfer push the ordering
 * service's blocks; leadership lost stops both.
 *
 * <p><b>Threading.</b> Built and closed by the node's lifecycle methods; leadership changes arrive
 * on the scheduler; the accessors are thread-safe.
 */
final class NodeChannel implements AutoCloseable {

  /** 1 while this peer leads its organisation in the channel, else 0 (Fabric's name). */
  static final String LEADER_GAUGE = "gossip_leader_election_leader";

  private static final Logger log = LoggerFactory.getLogger(NodeChannel.class);

  private final String name;
  private final NodeServices services;
  private final GossipChannel gossipChannel;
  private final LedgerStore ledger;
  private final StateTransfer state;
  private final LeadershipAdapter election;
  private final ElectionStrategy strategy;
  private final OrdererPull pull;
  private final AtomicInteger leaderGauge = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  NodeChannel(
      NodeServices services,
      String name,
      Set<String> orgs,
      LedgerStore ledger,
      ElectionStrategyProvider electionProvider,
      SplittableRandom random) {
    this.name = name;
    this.services = services;
    this.ledger = ledger;
    this.gossipChannel = services.channels().join(name, orgs);
    BlockVerifier verifier =
        BlockVerifier.builder()
            .msp(services.msp())
            .ordererMspIds(services.ordererMspIds())
            .channel(name)
            .clock(services.scheduler().clock())
            .meterRegistry(services.meters())
            .build();
    this.state =
        StateTransfer.builder()
            .channel(new ChannelAdapter(gossipChannel, services.mspId()))
            .ledger(ledger)
            .validator(BlockValidator.of(verifier))
            .scheduler(services.scheduler())
            .committer(services.committer())
            .config(services.config())
            .meterRegistry(services.meters())
            .random(random.split())
            .codec(services.codec())
            .onCommit(block -> services.events().committed(name, block))
            .build();
    this.election =
        new LeadershipAdapter(
            gossipChannel,
            services.mspId(),
            services.config().electionSettings(),
            services.scheduler(),
            services.discovery().view(),
            services::identity,
            services.msp(),
            services.codec(),
            services.incNum(),
            random.split(),
            services.meters(),
            this::leadershipChanged);
    this.pull =
        new OrdererPull(
            name,
            services.blockSource(),
            state,
            services.scheduler(),
            services.ordererBackpressure(),
            services.yieldAfter(),
            this::stuck,
            services.meters());
    this.strategy = electionProvider.create(election);
    election.attach(strategy);
    Gauge.builder(LEADER_GAUGE, leaderGauge, AtomicInteger::get)
        .description("1 while this peer is its organisation's leader in the channel")
        .tag("channel", name)
        .register(services.meters());
  }

  /** Starts state transfer and the election. */
  void start() {
    state.start();
    services.scheduler().execute(strategy::start);
  }

  String name() {
    return name;
  }

  long height() {
    return state.height();
  }

  boolean isLeader() {
    return leaderGauge.get() == 1;
  }

  ChannelStatus status() {
    Map<PkiId, Long> heights = new HashMap<>();
    for (ChannelMember m : gossipChannel.members()) {
      heights.put(m.member().pkiId(), m.ledgerHeight());
    }
    Map<String, Long> blocks = new HashMap<>();
    for (String via : new String[] {"push", "pull", "state_transfer", "orderer"}) {
      double count =
          Search.in(services.meters())
              .name(StateTransfer.RECEIVED_COUNTER)
              .tag("channel", name)
              .tag("via", via)
              .counters()
              .stream()
              .mapToDouble(c -> c.count())
              .sum();
      blocks.put(via, (long) count);
    }
    boolean leader = isLeader();
    @Nullable PkiId known = leader ? services.self() : election.declaredLeader().orElse(null);
    return new ChannelStatus(name, state.height(), leader, known, heights, blocks);
  }

  private void leadershipChanged(boolean leader, String reason) {
    if (closed.get()) {
      return;
    }
    boolean was = leaderGauge.getAndSet(leader ? 1 : 0) == 1;
    if (was == leader) {
      return;
    }
    state.setLeader(leader);
    if (leader) {
      log.info("channel {}: this peer is now its organisation's leader ({})", name, reason);
      pull.start();
    } else {
      log.info("channel {}: this peer is no longer the leader ({})", name, reason);
      pull.stop();
    }
    services
        .events()
        .leadership(
            new LeadershipEvent(name, leader, reason, services.scheduler().clock().instant()));
  }

  private void stuck() {
    if (!isLeader()) {
      return;
    }
    log.warn(
        "channel {}: the ordering service has failed for {}; yielding the leadership",
        name,
        services.yieldAfter());
    strategy.yieldLeadership();
  }

  /** Stops the election, the pull, state transfer and the channel's ledger. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // The strategy lives on the scheduler; what it reports while closing is ignored (closed).
    services.scheduler().execute(strategy::close);
    election.detach();
    pull.stop();
    leaderGauge.set(0);
    state.close();
    try {
      ledger.close();
    } catch (LedgerException | RuntimeException e) {
      log.warn("channel {}: closing the ledger failed", name, e);
    }
    log.debug("channel {} closed", name);
  }

  @Override
  public String toString() {
    return "NodeChannel[" + name + ", height " + height() + (isLeader() ? ", leader" : "") + "]";
  }
}
