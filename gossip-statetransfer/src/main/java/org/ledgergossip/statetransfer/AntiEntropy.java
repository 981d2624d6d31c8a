package org.ledgergossip.statetransfer;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.hyperledger.fabric.protos.gossip.RemoteStateRequest;
import org.hyperledger.fabric.protos.gossip.RemoteStateResponse;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.statetransfer.StateMetrics.Drop;
import org.ledgergossip.statetransfer.StateMetrics.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anti-entropy (Fabric's {@code antiEntropy} and {@code handleStateRequest}), both sides.
 *
 * <p><b>Client.</b> Every {@code checkInterval} (and at once when a gossiped block shows we are
 * behind) the highest ledger height among the channel's members is noted. A gap wider than the
 * payload buffer's window is filled at once; a narrower one (blocks the push or the pull is likely
 * bringing) only for the blocks that were already announced at the previous check. While the target
 * is above our height, the blocks missing from {@code [height, min(maxHeight, height + capacity))}
 * — neither in the payload buffer nor covered by a request in flight — are asked for in ranges of
 * at most {@code batchSize} blocks, up to {@code maxInFlight} requests at once, each from a member
 * whose height covers the range (the least loaded one, ties broken at random), so that catch-up is
 * pipelined across several peers instead of one round trip per batch. A range cut short only by the
 * buffer's window waits until commits widen it (the blocks before it are buffered or asked for, so
 * their arrival or commit refills the pipeline), so that requests stay {@code batchSize} long. A
 * request covers its range until its response's blocks are in the buffer. A request without a
 * response within {@code responseTimeout} is sent again to another peer, up to {@code maxRetries}
 * times. A peer that timed out, or answered with fewer valid blocks than asked, is not asked again
 * until the next check (so a peer serving a bad block cannot make us loop). After every response
 * and every commit the pipeline is refilled. Each block of a response must be in the requested
 * range and pass the {@link BlockValidator}.
 *
 * <p><b>Server.</b> A {@code RemoteStateRequest} is answered only to a member of the channel
 * ({@link StateChannel#isMember}); {@code start > end} is refused; the range is capped at {@code
 * start + batchSize} (Fabric refuses beyond it) and at our height. The response echoes the
 * request's nonce and carries the blocks we have (possibly none).
 *
 * <p><b>Threading.</b> Thread-safe, one lock; handlers run on the comm's threads, timers on the
 * scheduler; nothing is sent or read from the ledger under the lock.
 */
final class AntiEntropy {

  private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);

  /** How long an out-of-order push waits for the missing blocks before they are asked for. */
  static final Duration GAP_DELAY = Duration.ofMillis(200);

  /** Looks at one gap at most, {@link #GAP_DELAY} apart, before the regular check takes over. */
  static final int GAP_ATTEMPTS = 5;

  /** A request in flight. */
  private record Outstanding(
      long nonce, long start, long end, PkiId peer, int attempt, Cancellable timer) {}

  private final StateChannel channel;
  private final ByteString channelBytes;
  private final PayloadBuffer<?> buffer;
  private final WireCodec codec;
  private final Scheduler scheduler;
  private final RandomGenerator random;
  private final BlockValidator validator;
  private final StateMetrics metrics;
  private final BiConsumer<Block, Via> sink;
  private final Duration checkInterval;
  private final Duration responseTimeout;
  private final int batchSize;
  private final int maxRetries;
  private final int maxInFlight;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final Map<Long, Outstanding> outstanding = new LinkedHashMap<>();

  /**
   * Nonces of {@link #outstanding} requests whose response is being handled: the request keeps
   * covering its range until its blocks are in the buffer, so that a {@link #fill} running
   * meanwhile does not ask for them again.
   */
  @GuardedBy("lock")
  private final Set<Long> answering = new HashSet<>();

  @GuardedBy("lock")
  private List<ChannelPeer> peers = List.of();

  @GuardedBy("lock")
  private long maxHeight;

  @GuardedBy("lock")
  private long lastSeenMax;

  /** Peers not asked again until the next check: they timed out, or answered short or wrong. */
  @GuardedBy("lock")
  private final Set<PkiId> suspended = new HashSet<>();

  @GuardedBy("lock")
  private boolean stopped;

  @GuardedBy("lock")
  private boolean checkQueued;

  @GuardedBy("lock")
  private @Nullable Cancellable timer;

  @GuardedBy("lock")
  private @Nullable Cancellable gapTimer;

  AntiEntropy(
      StateChannel channel,
      ByteString channelBytes,
      PayloadBuffer<?> buffer,
      WireCodec codec,
      Scheduler scheduler,
      RandomGenerator random,
      BlockValidator validator,
      StateMetrics metrics,
      BiConsumer<Block, Via> sink,
      Duration checkInterval,
      Duration responseTimeout,
      int batchSize,
      int maxRetries,
      int maxInFlight) {
    this.channel = channel;
    this.channelBytes = channelBytes;
    this.buffer = buffer;
    this.codec = codec;
    this.scheduler = scheduler;
    this.random = random;
    this.validator = validator;
    this.metrics = metrics;
    this.sink = sink;
    this.checkInterval = checkInterval;
    this.responseTimeout = responseTimeout;
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
    this.maxInFlight = maxInFlight;
  }

  void start() {
    synchronized (lock) {
      timer = scheduler.scheduleAtFixedRate(this::check, checkInterval, checkInterval);
    }
  }

  void stop() {
    List<Outstanding> pending;
    synchronized (lock) {
      stopped = true;
      if (timer != null) {
        timer.cancel();
      }
      if (gapTimer != null) {
        gapTimer.cancel();
      }
      pending = List.copyOf(outstanding.values());
      outstanding.clear();
      answering.clear();
    }
    pending.forEach(o -> o.timer().cancel());
  }

  /** A hint that we are behind (a gossiped block beyond the buffer): check soon, once. */
  void behind() {
    synchronized (lock) {
      if (stopped || checkQueued) {
        return;
      }
      checkQueued = true;
    }
    scheduler.execute(this::check);
  }

  /**
   * Gap repair: a block pushed by {@code peer} was beyond the payload buffer, so we miss blocks
   * that {@code peer} most likely has; ask it for the first missing range at once (without waiting
   * for its state info to announce it), unless that range is already asked for, the pipeline is
   * full, or {@code peer} failed us since the last check. No retry on timeout: the regular check
   * takes over.
   */
  void repairFrom(PkiId peer) {
    Outstanding o;
    synchronized (lock) {
      long next = buffer.next();
      if (stopped
          || suspended.contains(peer)
          || outstanding.size() >= maxInFlight
          || buffer.contains(next)
          || covered(next, List.of())) {
        return;
      }
      long end = next;
      while (end + 1 - next < batchSize
          && !buffer.contains(end + 1)
          && !covered(end + 1, List.of())) {
        end++;
      }
      long nonce;
      synchronized (random) {
        nonce = random.nextLong();
      }
      Cancellable t = scheduler.schedule(() -> onTimeout(nonce), responseTimeout);
      o = new Outstanding(nonce, next, end, peer, maxRetries, t);
      outstanding.put(nonce, o);
    }
    send(o);
  }

  /**
   * A block pushed by {@code peer} arrived out of order: unless a look is already planned, look
   * again after {@link #GAP_DELAY} and, if the block at our height is still missing while later
   * ones wait in the buffer, {@link #repairFrom} that peer. While the gap lasts, look again every
   * {@link #GAP_DELAY}, up to {@link #GAP_ATTEMPTS} looks: a peer that answered short (it may miss
   * the same block) or timed out is passed over for another member, one whose announced height
   * covers the gap if any, else one at random. While a request for the gap is outstanding nothing
   * more is asked, so a peer that does not answer is passed over only if {@code responseTimeout}
   * ends within the looks; otherwise the regular check takes over.
   */
  void gapSuspected(PkiId peer) {
    synchronized (lock) {
      if (stopped || gapTimer != null) {
        return;
      }
      gapTimer = scheduler.schedule(() -> lookAtGap(peer, 1), GAP_DELAY);
    }
  }

  private void lookAtGap(PkiId hint, int attempt) {
    long next = buffer.next();
    if (buffer.size() == 0 || buffer.contains(next)) {
      synchronized (lock) {
        gapTimer = null;
      }
      return;
    }
    List<ChannelPeer> members = channel.members();
    PkiId from;
    synchronized (lock) {
      from = covered(next, List.of()) ? null : repairPeer(hint, next, members);
      gapTimer =
          stopped || attempt >= GAP_ATTEMPTS
              ? null
              : scheduler.schedule(
                  () -> lookAtGap(from == null ? hint : from, attempt + 1), GAP_DELAY);
    }
    if (from != null) {
      repairFrom(from);
    }
  }

  /**
   * {@code hint} unless it failed us since the last check; else a member not failed whose height
   * covers {@code next}, else any member not failed (at random); null if none.
   */
  @GuardedBy("lock")
  private @Nullable PkiId repairPeer(PkiId hint, long next, List<ChannelPeer> members) {
    if (!suspended.contains(hint)) {
      return hint;
    }
    List<PkiId> covering = new ArrayList<>();
    List<PkiId> others = new ArrayList<>();
    for (ChannelPeer p : members) {
      if (!suspended.contains(p.pkiId())) {
        (p.ledgerHeight() > next ? covering : others).add(p.pkiId());
      }
    }
    List<PkiId> from = covering.isEmpty() ? others : covering;
    if (from.isEmpty()) {
      return null;
    }
    synchronized (random) {
      return from.get(random.nextInt(from.size()));
    }
  }

  /** Looks at the members' heights and refills the pipeline. */
  void check() {
    List<ChannelPeer> members = channel.members();
    long max = 0;
    for (ChannelPeer p : members) {
      max = Math.max(max, p.ledgerHeight());
    }
    long next = buffer.next();
    synchronized (lock) {
      checkQueued = false;
      suspended.clear();
      peers = members;
      // Blocks a push or pull is about to bring are left to them: a gap within the buffer's window
      // is fetched only once it has lasted a whole check, a wider one at once.
      maxHeight = max - next > buffer.window() ? max : Math.min(max, lastSeenMax);
      lastSeenMax = max;
    }
    fill();
  }

  /** Sends as many requests as the pipeline allows for the blocks still missing. */
  void fill() {
    List<Outstanding> toSend = new ArrayList<>();
    synchronized (lock) {
      if (stopped) {
        return;
      }
      long next = buffer.next();
      long windowEnd = next + buffer.capacity() - 1;
      long last = Math.min(maxHeight - 1, windowEnd);
      long seq = next;
      while (outstanding.size() + toSend.size() < maxInFlight && seq <= last) {
        if (buffer.contains(seq) || covered(seq, toSend)) {
          seq++;
          continue;
        }
        long end = seq;
        while (end + 1 <= last && end + 1 - seq < batchSize && !covered(end + 1, toSend)) {
          end++;
        }
        if (end + 1 - seq < batchSize && end == windowEnd && end < maxHeight - 1 && seq > next) {
          // Cut short by the buffer's window only: wait for commits to widen it rather than send
          // a small request now (the blocks before it will bring that fill).
          break;
        }
        Outstanding o = plan(seq, end, null, 1, toSend);
        if (o == null) {
          break;
        }
        toSend.add(o);
        seq = o.end() + 1;
      }
      for (Outstanding o : toSend) {
        outstanding.put(o.nonce(), o);
      }
    }
    toSend.forEach(this::send);
  }

  @GuardedBy("lock")
  private boolean covered(long seq, List<Outstanding> planned) {
    for (Outstanding o : outstanding.values()) {
      if (seq >= o.start() && seq <= o.end()) {
        return true;
      }
    }
    for (Outstanding o : planned) {
      if (seq >= o.start() && seq <= o.end()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A request for {@code [start, end]} (shortened to what the chosen peer has) to the least loaded
   * member that has at least block {@code start}, other than {@code avoid} when possible; null if
   * no member has it.
   */
  @GuardedBy("lock")
  private @Nullable Outstanding plan(
      long start, long end, @Nullable PkiId avoid, int attempt, List<Outstanding> planned) {
    Map<PkiId, Integer> load = new HashMap<>();
    outstanding.values().forEach(o -> load.merge(o.peer(), 1, Integer::sum));
    planned.forEach(o -> load.merge(o.peer(), 1, Integer::sum));
    List<ChannelPeer> best = new ArrayList<>();
    int bestScore = Integer.MAX_VALUE;
    for (ChannelPeer p : peers) {
      if (p.ledgerHeight() <= start || suspended.contains(p.pkiId())) {
        continue;
      }
      // Prefer peers that have the whole range, then the least loaded, and not the one that failed.
      int score =
          (p.ledgerHeight() > end ? 0 : 1_000_000)
              + (p.pkiId().equals(avoid) ? 100_000 : 0)
              + load.getOrDefault(p.pkiId(), 0);
      if (score < bestScore) {
        best.clear();
        bestScore = score;
      }
      if (score == bestScore) {
        best.add(p);
      }
    }
    if (best.isEmpty()) {
      return null;
    }
    ChannelPeer chosen;
    long nonce;
    synchronized (random) {
      chosen = best.get(random.nextInt(best.size()));
      nonce = random.nextLong();
    }
    long to = Math.min(end, chosen.ledgerHeight() - 1);
    Cancellable t = scheduler.schedule(() -> onTimeout(nonce), responseTimeout);
    return new Outstanding(nonce, start, to, chosen.pkiId(), attempt, t);
  }

  private void send(Outstanding o) {
    GossipMessage request =
        GossipMessage.newBuilder()
            .setNonce(o.nonce())
            .setChannel(channelBytes)
            .setTag(GossipMessage.Tag.CHAN_OR_ORG)
            .setStateRequest(
                RemoteStateRequest.newBuilder().setStartSeqNum(o.start()).setEndSeqNum(o.end()))
            .build();
    try {
      channel.send(codec.encode(request), List.of(o.peer()));
      metrics.requestSent();
    } catch (MalformedMessageException e) {
      log.warn("channel {}: cannot send a state request: {}", channel.name(), e.getMessage());
    }
  }

  private void onTimeout(long nonce) {
    Outstanding retry = null;
    synchronized (lock) {
      if (answering.contains(nonce)) {
        return;
      }
      Outstanding o = outstanding.remove(nonce);
      if (o == null || stopped) {
        return;
      }
      metrics.requestTimedOut();
      suspended.add(o.peer());
      log.debug(
          "channel {}: no state response from {} for [{}, {}] (attempt {})",
          channel.name(),
          o.peer(),
          o.start(),
          o.end(),
          o.attempt());
      if (o.attempt() < maxRetries) {
        retry = plan(o.start(), o.end(), o.peer(), o.attempt() + 1, List.of());
        if (retry != null) {
          outstanding.put(retry.nonce(), retry);
        }
      }
    }
    if (retry != null) {
      send(retry);
    }
    fill();
  }

  // ---- receiving ----

  void onResponse(ReceivedMessage m) {
    long nonce = m.message().getNonce();
    Outstanding o;
    synchronized (lock) {
      o = outstanding.get(nonce);
      if (o == null || !o.peer().equals(m.senderPkiId()) || !answering.add(nonce)) {
        o = null;
      }
    }
    if (o == null) {
      metrics.drop(
          Drop.UNEXPECTED_RESPONSE,
          log,
          "channel " + channel.name() + ": state response from " + m.senderPkiId());
      return;
    }
    o.timer().cancel();
    long good = 0;
    try {
      good = take(o, m);
    } finally {
      // Whatever happened to the blocks, the request ends here (an exception would otherwise
      // leave its range covered for good).
      synchronized (lock) {
        outstanding.remove(nonce);
        answering.remove(nonce);
        if (good < o.end() - o.start() + 1) {
          // Short or wrong: asking the same peer again at once could loop; wait for the next check.
          suspended.add(o.peer());
        }
      }
    }
    fill();
  }

  /** Checks each block of a response to {@code o} and hands the good ones on; returns how many. */
  private long take(Outstanding o, ReceivedMessage m) {
    RemoteStateResponse response = m.message().getStateResponse();
    long good = 0;
    for (Payload payload : response.getPayloadsList()) {
      long seq = payload.getSeqNum();
      if (seq < o.start() || seq > o.end()) {
        metrics.drop(
            Drop.OUT_OF_RANGE,
            log,
            "channel "
                + channel.name()
                + ": block "
                + Long.toUnsignedString(seq)
                + " from "
                + m.senderPkiId()
                + " outside ["
                + o.start()
                + ", "
                + o.end()
                + "]");
        continue;
      }
      Block block;
      try {
        block = Blocks.of(payload);
      } catch (InvalidBlockException e) {
        metrics.drop(Drop.MALFORMED, log, "state response from " + m.senderPkiId() + ": " + e);
        continue;
      }
      try {
        validator.verify(channel.name(), block);
      } catch (InvalidBlockException | RuntimeException e) {
        metrics.drop(
            Drop.INVALID_BLOCK,
            log,
            "channel "
                + channel.name()
                + ": block "
                + seq
                + " from "
                + m.senderPkiId()
                + " refused: "
                + e.getMessage());
        continue;
      }
      sink.accept(block, Via.STATE_TRANSFER);
      good++;
    }
    return good;
  }

  /** How many requests are in flight. */
  int inFlight() {
    synchronized (lock) {
      return outstanding.size();
    }
  }
}
