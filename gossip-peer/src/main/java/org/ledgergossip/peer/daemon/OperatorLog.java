package org.ledgergossip.peer.daemon;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.node.ChannelStatus;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.node.NodeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines an operator of a peer daemon reads: a peer joined, died, came back or was purged; and,
 * per channel, "catching up" when this peer falls behind the highest height its channel members
 * publish, then "caught up N blocks in T". (Leadership changes and refused blocks are logged where
 * they happen.) The catch-up check runs once a second on a daemon thread of its own.
 */
final class OperatorLog implements NodeListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger("org.ledgergossip.peer");

  /** Blocks behind before "catching up" is said (a block or two is normal while one spreads). */
  static final long BEHIND = 5;

  private final GossipNode node;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gossip-operator-log");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, long[]> catchingUp = new HashMap<>();

  OperatorLog(GossipNode node) {
    this.node = node;
  }

  /** Starts the once-a-second catch-up check (register this as a listener before the start). */
  void startChecks() {
    var unused = timer.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
  }

  @Override
  public void onMembership(MembershipEvent event) {
    Member m = event.member();
    String who = m.pkiId().toHex().substring(0, 16) + " of " + m.mspId();
    String where = m.preferredEndpoint().map(e -> " at " + e).orElse("");
    switch (event.type()) {
      case JOINED -> log.info("peer {}{} joined", who, where);
      case DEAD -> log.warn("peer {}{} is dead: nothing heard from it in time", who, where);
      case ALIVE_AGAIN -> log.info("peer {}{} is alive again", who, where);
      case PURGED -> log.info("peer {} purged from the membership", who);
      default -> {
        // metadata or endpoint updates: not an operator's concern
      }
    }
  }

  /** Compares each channel's height with its members' and says when catching up starts and ends. */
  private void check() {
    try {
      if (!node.isRunning()) {
        return;
      }
      for (ChannelStatus s : node.statuses()) {
        long best = s.memberHeights().values().stream().mapToLong(Long::longValue).max().orElse(0);
        long[] since = catchingUp.get(s.name());
        if (since == null && best - s.height() >= BEHIND) {
          catchingUp.put(s.name(), new long[] {s.height(), System.nanoTime()});
          log.info(
              "channel {}: catching up from height {} to {} (published by channel members)",
              s.name(),
              s.height(),
              best);
        } else if (since != null && s.height() >= best) {
          catchingUp.remove(s.name());
          long ms = (System.nanoTime() - since[1]) / 1_000_000;
          log.info(
              "channel {}: caught up {} blocks in {} ms, height {}",
              s.name(),
              s.height() - since[0],
              ms,
              s.height());
        }
      }
    } catch (RuntimeException e) {
      log.debug("operator log check failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
