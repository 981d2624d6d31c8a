package org.ledgergossip.tck;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionSettings;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.ElectionStrategyProvider;
import org.ledgergossip.spi.election.LeadershipMessage;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * A simulated organisation of peers in one channel for election tests: N {@link ElectionContext}s
 * on one {@link VirtualScheduler}, with a tiny message bus that delivers each peer's leadership
 * messages to the others of its side after a fixed latency. Membership is perfect and instant: a
 * peer's {@link ElectionContext#alivePeers()} is the started, not killed peers of its side.
 *
 * <p>PKI-IDs are SHA-256 digests of {@code "peer-<i>"}, so their order is not the index order and
 * bytes above 0x7f occur (unsigned comparison matters). Faults: {@link #kill} (the strategy is
 * closed and the peer leaves every view), {@link #restart} (a new incarnation), {@link #partition}
 * and {@link #heal}. Not thread-safe: drive it from the test thread only, between scheduler runs.
 */
public final class ElectionGroup {

  /** The channel of the simulated group, {@value}. */
  public static final String CHANNEL = "simchannel";

  private final ElectionStrategyProvider provider;
  private final ElectionSettings settings;
  private final VirtualScheduler scheduler;
  private final Duration latency;
  private final List<Peer> peers = new ArrayList<>();

  /**
   * Creates {@code size} peers, none started.
   *
   * @throws IllegalArgumentException if {@code size} is not positive or {@code latency} negative
   */
  public ElectionGroup(
      ElectionStrategyProvider provider,
      ElectionSettings settings,
      int size,
      VirtualScheduler scheduler,
      Duration latency) {
    this.provider = requireNonNull(provider, "provider");
    this.settings = requireNonNull(settings, "settings");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.latency = requireNonNull(latency, "latency");
    if (size <= 0 || latency.isNegative()) {
      throw new IllegalArgumentException("size must be > 0 and latency >= 0");
    }
    for (int i = 0; i < size; i++) {
      peers.add(new Peer(i, idOf(i)));
    }
  }

  /** The PKI-ID of peer {@code i} of any group: SHA-256 of {@code "peer-<i>"}. */
  public static PkiId idOf(int i) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return PkiId.of(sha.digest(("peer-" + i).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The number of peers, alive or not. */
  public int size() {
    return peers.size();
  }

  /** The scheduler every peer runs on. */
  public VirtualScheduler scheduler() {
    return scheduler;
  }

  /** The PKI-ID of peer {@code i}. */
  public PkiId id(int i) {
    return peers.get(i).id;
  }

  /** The current strategy of peer {@code i} (a new one after each restart). */
  public ElectionStrategy strategy(int i) {
    return peers.get(i).strategy;
  }

  /** Starts every peer not yet started, in index order, at the current virtual time. */
  public void startAll() {
    for (int i = 0; i < peers.size(); i++) {
      if (!peers.get(i).started) {
        start(i);
      }
    }
  }

  /** Starts peer {@code i} (it joins every view of its side). */
  public void start(int i) {
    Peer p = peers.get(i);
    if (p.started) {
      throw new IllegalStateException("peer " + i + " already started");
    }
    p.started = true;
    p.alive = true;
    p.strategy.start();
  }

  /** Crashes peer {@code i}: its strategy is closed, it leaves every view. */
  public void kill(int i) {
    Peer p = peers.get(i);
    p.alive = false;
    p.strategy.close();
  }

  /** Starts a new incarnation of a killed peer {@code i} (a larger inc_num, seq_num from 0). */
  public void restart(int i) {
    Peer p = peers.get(i);
    if (p.alive) {
      throw new IllegalStateException("peer " + i + " is alive");
    }
    p.incarnation++;
    p.seq = 0;
    p.reportedLeader = false;
    p.strategy = provider.create(p);
    p.started = false;
    start(i);
  }

  /** True if peer {@code i} is started and not killed. */
  public boolean isAlive(int i) {
    Peer p = peers.get(i);
    return p.started && p.alive;
  }

  /**
   * Splits the group: each array lists the peers of one side; peers not listed form one more side.
   */
  public void partition(int[]... sides) {
    for (Peer p : peers) {
      p.side = sides.length;
    }
    for (int s = 0; s < sides.length; s++) {
      for (int i : sides[s]) {
        peers.get(i).side = s;
      }
    }
  }

  /** Puts every peer back on one side. */
  public void heal() {
    for (Peer p : peers) {
      p.side = 0;
    }
  }

  /** The side of peer {@code i} (0 when not partitioned). */
  public int sideOf(int i) {
    return peers.get(i).side;
  }

  /** Alive peers claiming leadership (by {@link ElectionStrategy#isLeader()}), in index order. */
  public List<Integer> leaders() {
    List<Integer> out = new ArrayList<>();
    for (Peer p : peers) {
      if (p.started && p.alive && p.strategy.isLeader()) {
        out.add(p.index);
      }
    }
    return out;
  }

  /** The alive leaders of each side that has an alive peer, by side. */
  public Map<Integer, List<Integer>> leadersBySide() {
    Map<Integer, List<Integer>> out = new TreeMap<>();
    for (Peer p : peers) {
      if (p.started && p.alive) {
        List<Integer> l = out.computeIfAbsent(p.side, s -> new ArrayList<>());
        if (p.strategy.isLeader()) {
          l.add(p.index);
        }
      }
    }
    return out;
  }

  /** True if every side with an alive peer has exactly one leader. */
  public boolean oneLeaderPerSide() {
    return leadersBySide().values().stream().allMatch(l -> l.size() == 1);
  }

  /**
   * Alive peers whose {@link ElectionStrategy#isLeader()} disagrees with what they last reported
   * through {@link ElectionContext#leadershipChanged}.
   */
  public List<Integer> inconsistentPeers() {
    List<Integer> out = new ArrayList<>();
    for (Peer p : peers) {
      if (p.started && p.alive && p.strategy.isLeader() != p.reportedLeader) {
        out.add(p.index);
      }
    }
    return out;
  }

  /** What peer {@code i} last reported through {@code leadershipChanged} (false if never). */
  public boolean reportedLeader(int i) {
    return peers.get(i).reportedLeader;
  }

  /** Leadership messages peer {@code i} reported as dropped through {@code messageDropped}. */
  public List<String> droppedReasons(int i) {
    return Collections.unmodifiableList(peers.get(i).dropped);
  }

  /**
   * Delivers {@code message} to peer {@code i} now, on the scheduler, as the core would (a replay
   * or forgery test).
   */
  public void inject(int i, LeadershipMessage message) {
    Peer p = peers.get(i);
    ElectionStrategy target = p.strategy;
    scheduler.execute(() -> target.onMessage(message));
  }

  /** The last message peer {@code i} sent, or null if none. */
  public LeadershipMessage lastSent(int i) {
    return peers.get(i).lastSent;
  }

  /** Index of the alive peer with the lowest PKI-ID among {@code candidates}. */
  public int lowest(Iterable<Integer> candidates) {
    int best = -1;
    for (int i : candidates) {
      if (best < 0 || id(i).compareTo(id(best)) < 0) {
        best = i;
      }
    }
    return best;
  }

  /** The peers of the group in ascending PKI-ID order. */
  public List<Integer> byId() {
    Integer[] idx = new Integer[peers.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> id(a).compareTo(id(b)));
    return List.of(idx);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ElectionGroup[t=" + scheduler.now());
    for (Peer p : peers) {
      sb.append(' ')
          .append(p.index)
          .append(p.alive && p.started ? "" : "†")
          .append("/s")
          .append(p.side)
          .append(p.strategy.isLeader() ? "/L" : "");
    }
    return sb.append(']').toString();
  }

  private final class Peer implements ElectionContext {
    final int index;
    final PkiId id;
    ElectionStrategy strategy;
    boolean started;
    boolean alive;
    int side;
    long incarnation = 1;
    long seq;
    boolean reportedLeader;
    LeadershipMessage lastSent;
    final List<String> dropped = new ArrayList<>();

    Peer(int index, PkiId id) {
      this.index = index;
      this.id = id;
      this.strategy = provider.create(this);
    }

    @Override
    public String channel() {
      return CHANNEL;
    }

    @Override
    public PkiId self() {
      return id;
    }

    @Override
    public ElectionSettings settings() {
      return settings;
    }

    @Override
    public Scheduler scheduler() {
      return scheduler;
    }

    @Override
    public Set<PkiId> alivePeers() {
      Set<PkiId> out = new HashSet<>();
      for (Peer p : peers) {
        if (p != this && p.started && p.alive && p.side == side) {
          out.add(p.id);
        }
      }
      return out;
    }

    @Override
    public void gossip(boolean declaration) {
      if (!alive) {
        return;
      }
      LeadershipMessage m =
          new LeadershipMessage(id, new PeerTime(incarnation, ++seq), declaration);
      lastSent = m;
      for (Peer p : peers) {
        if (p == this) {
          continue;
        }
        ElectionStrategy target = p.strategy;
        scheduler.schedule(
            () -> {
              if (alive && p.alive && p.started && p.side == side && p.strategy == target) {
                target.onMessage(m);
              }
            },
            latency);
      }
    }

    @Override
    public void leadershipChanged(boolean leader, String reason) {
      reportedLeader = leader;
    }

    @Override
    public void messageDropped(LeadershipMessage message, String reason) {
      if (dropped.size() < 10_000) {
        dropped.add(reason);
      }
    }
  }
}
