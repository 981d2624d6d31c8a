package org.ledgergossip.election;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.LeadershipMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's election loop ({@code leaderElectionSvcImpl.run}) as a state machine on the context's
 * scheduler: each blocking wait of Fabric's goroutine is a one-shot timer here, and an interrupt (a
 * declaration) cancels the timer and runs its continuation at once. Not thread-safe: every method
 * runs on the scheduler.
 *
 * <p><b>Faster than Fabric, same messages.</b> Fabric's peers drop every leadership message from a
 * peer not yet in their channel view, and otherwise learn of each other's leadership only at the
 * periodic declarations ({@code leaderAliveThreshold / 2} apart); so peers whose views were still
 * forming when they elected (a joint start, a healed partition) stay co-leaders for up to half a
 * threshold after the views have formed. Here, once the first election has started, the alive peers
 * are sampled every {@code membershipSampleInterval}; when a peer appears, a leader declares at
 * once, and a peer in an election proposes again, so the newcomer hears of it now. A leader that
 * hears any declaration declares again at once (Fabric's interrupted sleep), so a co-leader with a
 * higher PKI-ID steps down within a round trip of the first of the two to see the other.
 */
final class DynamicElection implements ElectionStrategy {

  private static final Logger log = LoggerFactory.getLogger(DynamicElection.class);

  /** Bound on the senders whose last stamp is remembered (and on the proposals kept). */
  static final int MAX_TRACKED_SENDERS = 4096;

  /** A yielding peer does not stand again for this many alive thresholds (Fabric's 6). */
  static final int YIELD_THRESHOLDS = 6;

  enum Phase {
    NEW,
    STABILIZING,
    ELECTING,
    LEADER,
    FOLLOWER,
    CLOSED
  }

  private final ElectionContext context;
  private final Scheduler scheduler;
  private final Duration aliveThreshold;
  private final Duration electionDuration;
  private final Duration declarationInterval;

  private Phase phase = Phase.NEW;
  private boolean leader;
  private boolean leaderExists;
  private boolean yielding;
  private boolean heardDeclaration;
  private long lastDeclarationNanos;

  /** Proposals heard, with when (scheduler nanos); see {@link #lowerAliveProposal}. */
  private final Map<PkiId, Long> proposals = new HashMap<>();

  private long electionStartNanos;
  private final Map<PkiId, PeerTime> lastStamps = new HashMap<>();
  private @Nullable Cancellable timer;
  private @Nullable Cancellable yieldTimer;
  private @Nullable Cancellable watchTimer;
  private Set<PkiId> watched = Set.of();

  private int viewSize;
  private long stabilizeDeadlineNanos;

  private long dropped;
  private boolean warnedDrop;

  DynamicElection(ElectionContext context) {
    this.context = context;
    this.scheduler = context.scheduler();
    this.aliveThreshold = context.settings().leaderAliveThreshold();
    this.electionDuration = context.settings().leaderElectionDuration();
    Duration half = aliveThreshold.dividedBy(2);
    this.declarationInterval = half.isZero() ? aliveThreshold : half;
  }

  @Override
  public void start() {
    if (phase != Phase.NEW) {
      return;
    }
    phase = Phase.STABILIZING;
    viewSize = context.alivePeers().size();
    stabilizeDeadlineNanos = now() + context.settings().startupGracePeriod().toNanos();
    scheduleSample();
  }

  private void scheduleSample() {
    long remaining = Math.max(0, stabilizeDeadlineNanos - now());
    long interval = context.settings().membershipSampleInterval().toNanos();
    timer = scheduler.schedule(this::sample, Duration.ofNanos(Math.min(interval, remaining)));
  }

  private void sample() {
    if (phase != Phase.STABILIZING) {
      return;
    }
    int size = context.alivePeers().size();
    if (size == viewSize || now() >= stabilizeDeadlineNanos || leaderExists) {
      log.debug("{} {}: membership settled with {} peers", context.channel(), self(), size);
      runLoop();
      return;
    }
    viewSize = size;
    scheduleSample();
  }

  @Override
  public void onMessage(LeadershipMessage message) {
    if (phase == Phase.NEW || phase == Phase.CLOSED) {
      return;
    }
    PkiId sender = message.sender();
    if (sender.equals(context.self())) {
      drop(message, "self");
      return;
    }
    if (!context.alivePeers().contains(sender)) {
      drop(message, "not-alive");
      return;
    }
    PeerTime last = lastStamps.get(sender);
    if (last != null && !message.timestamp().isNewerThan(last)) {
      drop(message, "stale");
      return;
    }
    remember(sender, message.timestamp());
    if (!message.declaration()) {
      if (proposals.size() < MAX_TRACKED_SENDERS || proposals.containsKey(sender)) {
        proposals.put(sender, now());
      }
      return;
    }
    leaderExists = true;
    heardDeclaration = true;
    lastDeclarationNanos = now();
    if (yielding) {
      stopYielding();
    }
    if (leader && sender.compareTo(context.self()) < 0) {
      stopBeingLeader("heard a declaration from " + sender + ", a lower PKI-ID");
    }
    switch (phase) {
      case STABILIZING, LEADER -> interruptThen(this::runLoop);
      case ELECTING -> interruptThen(this::electionEnded);
      default -> {}
    }
  }

  private void remember(PkiId sender, PeerTime stamp) {
    if (!lastStamps.containsKey(sender) && lastStamps.size() >= MAX_TRACKED_SENDERS) {
      lastStamps.keySet().retainAll(context.alivePeers());
      if (lastStamps.size() >= MAX_TRACKED_SENDERS) {
        return;
      }
    }
    lastStamps.put(sender, stamp);
  }

  private void drop(LeadershipMessage message, String reason) {
    dropped++;
    if (!warnedDrop) {
      warnedDrop = true;
      log.warn(
          "{} {}: dropped a leadership message from {} ({}); further drops are logged at debug",
          context.channel(),
          self(),
          message.sender(),
          reason);
    } else {
      log.debug("{} {}: dropped {} ({})", context.channel(), self(), message, reason);
    }
    context.messageDropped(message, reason);
  }

  /** One turn of Fabric's {@code run} loop. */
  private void runLoop() {
    if (phase == Phase.CLOSED) {
      return;
    }
    if (watchTimer == null) {
      watched = context.alivePeers();
      Duration every = context.settings().membershipSampleInterval();
      watchTimer = scheduler.scheduleAtFixedRate(this::watchPeers, every, every);
    }
    if (!leaderExists && !yielding) {
      phase = Phase.ELECTING;
      electionStartNanos = now();
      context.gossip(false);
      timer = scheduler.schedule(this::electionEnded, electionDuration);
      return;
    }
    afterElection();
  }

  private void electionEnded() {
    if (phase != Phase.ELECTING) {
      return;
    }
    if (!leaderExists && !yielding && !lowerAliveProposal()) {
      beLeader();
      leaderExists = true;
    }
    afterElection();
  }

  /**
   * True if a lower PKI-ID than ours, alive now, proposed since this election began or up to one
   * {@code leaderElectionDuration} before (its own election may still be deciding). An older
   * proposal is forgotten: that peer's election has ended, and had it won we would have heard its
   * declaration. (Fabric clears the proposals each time its follower loop starts, every {@code
   * leaderAliveThreshold}; a proposal kept longer, from a peer that has since yielded or stood
   * aside, would make every peer stand aside.)
   */
  private boolean lowerAliveProposal() {
    if (proposals.isEmpty()) {
      return false;
    }
    Set<PkiId> alive = context.alivePeers();
    long since = electionStartNanos - electionDuration.toNanos();
    for (Map.Entry<PkiId, Long> p : proposals.entrySet()) {
      if (p.getValue() >= since
          && p.getKey().compareTo(context.self()) < 0
          && alive.contains(p.getKey())) {
        return true;
      }
    }
    return false;
  }

  private void afterElection() {
    if (leaderExists && yielding) {
      stopYielding();
    }
    if (leader) {
      phase = Phase.LEADER;
      context.gossip(true);
      timer = scheduler.schedule(this::runLoop, declarationInterval);
    } else {
      phase = Phase.FOLLOWER;
      proposals.clear();
      long wait = declarationInterval.toNanos();
      if (heardDeclaration) {
        wait = Math.max(wait, lastDeclarationNanos + aliveThreshold.toNanos() - now());
      }
      timer = scheduler.schedule(this::followerCheck, Duration.ofNanos(wait));
    }
  }

  private void followerCheck() {
    if (phase != Phase.FOLLOWER) {
      return;
    }
    long silentFor = now() - lastDeclarationNanos;
    if (heardDeclaration && silentFor < aliveThreshold.toNanos()) {
      timer =
          scheduler.schedule(
              this::followerCheck, Duration.ofNanos(aliveThreshold.toNanos() - silentFor));
      return;
    }
    leaderExists = false;
    runLoop();
  }

  /**
   * A peer that appeared among the alive peers since the last sample hears at once from a leader (a
   * declaration) or from a peer in an election (its proposal again); see the class documentation.
   */
  private void watchPeers() {
    if (phase == Phase.CLOSED) {
      return;
    }
    Set<PkiId> now = context.alivePeers();
    boolean appeared = !watched.containsAll(now);
    watched = now;
    if (!appeared) {
      return;
    }
    if (phase == Phase.LEADER) {
      log.debug("{} {}: a peer appeared, declaring at once", context.channel(), self());
      context.gossip(true);
    } else if (phase == Phase.ELECTING) {
      context.gossip(false);
    }
  }

  private void interruptThen(Runnable continuation) {
    cancelTimer();
    continuation.run();
  }

  private void beLeader() {
    log.info("{} {}: becoming the leader", context.channel(), self());
    leader = true;
    context.leadershipChanged(true, "won the election");
  }

  private void stopBeingLeader(String reason) {
    log.info("{} {}: stopped being the leader: {}", context.channel(), self(), reason);
    leader = false;
    context.leadershipChanged(false, reason);
  }

  private void stopYielding() {
    yielding = false;
    if (yieldTimer != null) {
      yieldTimer.cancel();
      yieldTimer = null;
    }
  }

  @Override
  public boolean isLeader() {
    return leader;
  }

  @Override
  public void yieldLeadership() {
    if (!leader || yielding || phase == Phase.CLOSED) {
      return;
    }
    yielding = true;
    stopBeingLeader("yielded: its block source keeps failing");
    leaderExists = false;
    yieldTimer =
        scheduler.schedule(() -> yielding = false, aliveThreshold.multipliedBy(YIELD_THRESHOLDS));
    if (phase == Phase.LEADER) {
      interruptThen(this::runLoop);
    }
  }

  @Override
  public void close() {
    if (phase == Phase.CLOSED) {
      return;
    }
    phase = Phase.CLOSED;
    cancelTimer();
    if (watchTimer != null) {
      watchTimer.cancel();
      watchTimer = null;
    }
    stopYielding();
    if (leader) {
      stopBeingLeader("election closed");
    }
  }

  /** Messages dropped as stale, replayed, from self or from a peer not alive. */
  long droppedMessages() {
    return dropped;
  }

  Phase phase() {
    return phase;
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private long now() {
    return scheduler.clock().nanoTime();
  }

  private PkiId self() {
    return context.self();
  }

  @Override
  public String toString() {
    return "DynamicElection[" + context.channel() + " " + self() + " " + phase + "]";
  }
}
