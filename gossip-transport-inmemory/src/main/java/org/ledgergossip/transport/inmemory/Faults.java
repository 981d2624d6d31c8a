package org.ledgergossip.transport.inmemory;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;

/**
 * The faults injected into one {@link InMemoryNetwork}: random frame loss, random delay, partitions
 * and killed endpoints. Obtained from {@link InMemoryNetwork#faults()}.
 *
 * <p>Every random decision is drawn from the network's {@link Random} seeded with {@link
 * InMemoryNetwork.Builder#seed}, in the order frames are put on the wire, so a run on a {@link
 * VirtualScheduler} is reproducible for a seed. Settings apply to frames put on the wire after the
 * call (partitions also to frames still in flight). Settings replace earlier ones of the same kind;
 * {@link #heal()} removes them all.
 *
 * <p><b>Threading.</b> Thread-safe: every method takes the network's lock. Arguments are never
 * null; invalid values throw {@link IllegalArgumentException}. Methods return this handle for
 * chaining.
 */
public final class Faults {

  private final InMemoryNetwork network;
  private final Object lock;

  // Guarded by lock.
  private double dropRate;
  private long minDelayNanos;
  private long maxDelayNanos;
  private List<Set<Endpoint>> sides = List.of();
  private long lostToDrop;
  private long lostToPartition;

  Faults(InMemoryNetwork network, Object lock) {
    this.network = network;
    this.lock = lock;
  }

  /**
   * Loses each frame put on the wire with probability {@code rate}, independently. The frame is
   * counted ({@code inmemory_frames_lost_total{reason=drop}}) and reported as a {@link
   * NetworkEvent.Type#DROPPED} event; the connection stays open.
   *
   * @param rate 0 (no loss, the default) to 1 (every frame lost)
   */
  public Faults dropRate(double rate) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException("drop rate must be within 0..1, was " + rate);
    }
    synchronized (lock) {
      dropRate = rate;
    }
    return this;
  }

  /**
   * Delays each frame by a duration drawn uniformly from {@code [min, max]}. Frames of one
   * connection direction still arrive in order: a frame arrives at the later of its own delivery
   * time and the previous frame's.
   *
   * @throws IllegalArgumentException if {@code min} is negative or greater than {@code max}
   */
  public Faults delay(Duration min, Duration max) {
    requireNonNull(min, "min");
    requireNonNull(max, "max");
    if (min.isNegative() || min.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "delay needs 0 <= min <= max, were min=" + min + " and max=" + max);
    }
    synchronized (lock) {
      minDelayNanos = min.toNanos();
      maxDelayNanos = max.toNanos();
    }
    return this;
  }

  /**
   * Splits the network into {@code sides}; endpoints listed in no side form one more side together.
   * Frames between endpoints of different sides are lost (counted with {@code reason=partition}),
   * and dials across sides fail only when the dialler's {@link
   * org.ledgergossip.spi.transport.TransportOptions#dialTimeout()} expires, like a black hole.
   * Existing connections stay open. Replaces any earlier partition.
   *
   * @throws IllegalArgumentException if an endpoint is listed in two sides
   */
  @SafeVarargs
  public final Faults partition(Set<Endpoint>... sides) {
    requireNonNull(sides, "sides");
    List<Set<Endpoint>> list = new ArrayList<>(sides.length);
    for (Set<Endpoint> side : sides) {
      list.add(side);
    }
    return partition(list);
  }

  /**
   * Same as {@link #partition(Set[])}, with the sides in a list.
   *
   * @throws IllegalArgumentException if an endpoint is listed in two sides
   */
  public Faults partition(List<Set<Endpoint>> sides) {
    requireNonNull(sides, "sides");
    List<Set<Endpoint>> copy = new ArrayList<>(sides.size());
    Set<Endpoint> seen = new HashSet<>();
    for (Set<Endpoint> side : sides) {
      for (Endpoint e : requireNonNull(side, "side")) {
        if (!seen.add(requireNonNull(e, "endpoint"))) {
          throw new IllegalArgumentException("endpoint " + e + " is listed in two sides");
        }
      }
      copy.add(Set.copyOf(side));
    }
    synchronized (lock) {
      this.sides = List.copyOf(copy);
    }
    return this;
  }

  /** Removes the partition, the drop rate and the delay. Killed endpoints stay closed. */
  public Faults heal() {
    synchronized (lock) {
      sides = List.of();
      dropRate = 0.0;
      minDelayNanos = 0;
      maxDelayNanos = 0;
    }
    return this;
  }

  /**
   * Kills {@code endpoint} as if its process died: closes its listener and every connection to or
   * from it. The handlers of both ends see {@link
   * org.ledgergossip.spi.transport.ConnectionHandler#onClose} with a {@link
   * org.ledgergossip.spi.transport.TransportException} "connection reset by kill of
   * <i>endpoint</i>"; later dials to it are refused until a transport listens there again. A
   * transport's connections are "from" an endpoint when the transport listened on it when dialling
   * (see {@link org.ledgergossip.spi.transport.Connection#localEndpoint()}). Killing an endpoint
   * nobody uses does nothing.
   */
  public Faults kill(Endpoint endpoint) {
    network.kill(requireNonNull(endpoint, "endpoint"));
    return this;
  }

  /** Frames lost to the drop rate since the network was built. */
  public long framesLostToDrop() {
    synchronized (lock) {
      return lostToDrop;
    }
  }

  /** Frames lost to partitions since the network was built. */
  public long framesLostToPartition() {
    synchronized (lock) {
      return lostToPartition;
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "Faults[dropRate="
          + dropRate
          + ", delay="
          + Duration.ofNanos(minDelayNanos)
          + ".."
          + Duration.ofNanos(maxDelayNanos)
          + ", sides="
          + sides
          + "]";
    }
  }

  /** True if frames between {@code a} and {@code b} are lost to a partition. Caller holds lock. */
  boolean partitioned(Endpoint a, Endpoint b) {
    return !sides.isEmpty() && sideOf(a) != sideOf(b);
  }

  /**
   * Decides whether a frame put on the wire now is lost: {@code "partition"}, {@code "drop"} or
   * null when it travels. Caller holds lock.
   */
  @Nullable String lossReason(Endpoint from, Endpoint to, Random random) {
    if (partitioned(from, to)) {
      return LostReason.PARTITION;
    }
    if (dropRate > 0.0 && random.nextDouble() < dropRate) {
      return LostReason.DROP;
    }
    return null;
  }

  /** The delay of a frame put on the wire now, in nanoseconds. Caller holds lock. */
  long delayNanos(Random random) {
    if (maxDelayNanos == 0) {
      return 0;
    }
    if (minDelayNanos == maxDelayNanos) {
      return minDelayNanos;
    }
    return random.nextLong(minDelayNanos, maxDelayNanos + 1);
  }

  /** Counts a lost frame. Caller holds lock. */
  void countLoss(String reason) {
    if (reason.equals(LostReason.PARTITION)) {
      lostToPartition++;
    } else {
      lostToDrop++;
    }
  }

  private int sideOf(Endpoint e) {
    for (int i = 0; i < sides.size(); i++) {
      if (sides.get(i).contains(e)) {
        return i;
      }
    }
    return -1;
  }

  /** The {@code reason} tag values of {@code inmemory_frames_lost_total}. */
  static final class LostReason {
    static final String DROP = "drop";
    static final String PARTITION = "partition";

    private LostReason() {}
  }
}
