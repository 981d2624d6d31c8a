package org.ledgergossip.statetransfer;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reorder buffer between the blocks received and the ledger (Fabric's {@code PayloadsBuffer}):
 * payloads keyed by sequence number, released strictly in order from {@link #next()}, the ledger
 * height, each exactly once.
 *
 * <p><b>Bounds.</b> {@link #offer} (the gossip path: pushes and pulls, from network handlers that
 * must not wait) keeps a payload only if its number is in {@code [next, next + window)}; {@link
 * #add} (the ordering service's path, on its own thread) waits, up to a timeout, until the number
 * is in {@code [next, next + capacity)}; {@link #offerWithinCapacity} (state-transfer responses,
 * which are requested only inside that range) never waits. Fabric drops a gossiped block when
 * {@code seq - height >= blockBufferSize} and blocks its orderer path while the buffer holds more
 * than twice that: here {@code window = blockBufferSize} and {@code capacity = 2 × blockBufferSize}
 * by default. So at most {@code capacity} payloads are held. Numbers below {@code next} and numbers
 * already held are refused as {@link Result#DUPLICATE}; numbers beyond the bound as {@link
 * Result#TOO_FAR} (the caller counts them).
 *
 * <p><b>Threading.</b> Thread-safe; one lock. {@link #add} may block (never call it from a
 * scheduler task or a network handler); every other method returns at once. {@link #poll} is meant
 * for one consumer (the committer) at a time.
 *
 * <p><b>Nullability.</b> Payloads are never null; nothing returned is null.
 *
 * @param <T> the payload type
 */
public final class PayloadBuffer<T> {

  /** What became of a payload handed to the buffer. */
  public enum Result {
    /** Kept; it will be released by {@link #poll} in its turn. */
    ADDED,
    /** Below the next expected number, or already held: dropped. */
    DUPLICATE,
    /** Beyond the bound of the path it came on: dropped. */
    TOO_FAR,
    /** {@link #add} timed out waiting for room: dropped. */
    TIMED_OUT
  }

  private final int window;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();

  @GuardedBy("lock")
  private final TreeMap<Long, T> payloads = new TreeMap<>();

  @GuardedBy("lock")
  private long next;

  /**
   * A buffer expecting {@code next} first, with the gossip {@code window} and twice it as capacity.
   *
   * @throws IllegalArgumentException if {@code next} is negative or {@code window} not positive
   */
  public PayloadBuffer(long next, int window) {
    this(next, window, 2 * window);
  }

  /**
   * A buffer expecting {@code next} first, keeping gossiped payloads within {@code window} and
   * others within {@code capacity}.
   *
   * @throws IllegalArgumentException if {@code next} is negative, {@code window} not positive, or
   *     {@code capacity < window}
   */
  public PayloadBuffer(long next, int window, int capacity) {
    if (next < 0) {
      throw new IllegalArgumentException("next must not be negative, was " + next);
    }
    if (window <= 0 || capacity < window) {
      throw new IllegalArgumentException(
          "need 0 < window <= capacity, was window " + window + ", capacity " + capacity);
    }
    this.next = next;
    this.window = window;
    this.capacity = capacity;
  }

  /** The gossip window (Fabric's {@code blockBufferSize}). */
  public int window() {
    return window;
  }

  /** The most payloads held. */
  public int capacity() {
    return capacity;
  }

  /** The number of the next payload to release: the ledger height. */
  public long next() {
    lock.lock();
    try {
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** How many payloads are held. */
  public int size() {
    lock.lock();
    try {
      return payloads.size();
    } finally {
      lock.unlock();
    }
  }

  /** True if payload {@code seq} is held (not yet released). */
  public boolean contains(long seq) {
    lock.lock();
    try {
      return payloads.containsKey(seq);
    } finally {
      lock.unlock();
    }
  }

  /** Keeps {@code payload} if {@code seq} is in {@code [next, next + window)}; never waits. */
  public Result offer(long seq, T payload) {
    return offer(seq, payload, window);
  }

  /** Keeps {@code payload} if {@code seq} is in {@code [next, next + capacity)}; never waits. */
  public Result offerWithinCapacity(long seq, T payload) {
    return offer(seq, payload, capacity);
  }

  private Result offer(long seq, T payload, int bound) {
    requireNonNull(payload, "payload");
    lock.lock();
    try {
      return putLocked(seq, payload, bound);
    } finally {
      lock.unlock();
    }
  }

  @GuardedBy("lock")
  private Result putLocked(long seq, T payload, int bound) {
    if (seq < next || payloads.containsKey(seq)) {
      return Result.DUPLICATE;
    }
    if (seq - next >= bound) {
      return Result.TOO_FAR;
    }
    payloads.put(seq, payload);
    return Result.ADDED;
  }

  /**
   * Keeps {@code payload}, waiting up to {@code timeout} until {@code seq} is in {@code [next, next
   * + capacity)}: the ordering service's path, which must not lose blocks but must not overrun the
   * buffer either.
   *
   * @return {@link Result#ADDED}, {@link Result#DUPLICATE}, or {@link Result#TIMED_OUT}
   * @throws InterruptedException if interrupted while waiting (the payload is then not kept)
   */
  public Result add(long seq, T payload, Duration timeout) throws InterruptedException {
    requireNonNull(payload, "payload");
    long remaining = requireNonNull(timeout, "timeout").toNanos();
    lock.lockInterruptibly();
    try {
      while (seq >= next && seq - next >= capacity) {
        if (remaining <= 0) {
          return Result.TIMED_OUT;
        }
        remaining = room.awaitNanos(remaining);
      }
      return putLocked(seq, payload, capacity);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Releases the payload numbered {@link #next()}, if held, and moves {@code next} on by one.
   *
   * @return the payload, or empty if the next one has not arrived
   */
  public Optional<T> poll() {
    lock.lock();
    try {
      T payload = payloads.remove(next);
      if (payload == null) {
        return Optional.empty();
      }
      next++;
      room.signalAll();
      return Optional.of(payload);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets the next expected number to {@code height} (after the ledger moved by other means, or a
   * failed commit) and drops every payload below it.
   *
   * @throws IllegalArgumentException if {@code height} is negative
   */
  public void reset(long height) {
    if (height < 0) {
      throw new IllegalArgumentException("height must not be negative, was " + height);
    }
    lock.lock();
    try {
      next = height;
      payloads.headMap(height).clear();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops every payload held (the next expected number stays) and wakes waiting adds. */
  public void clear() {
    lock.lock();
    try {
      payloads.clear();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "PayloadBuffer{next=" + next + ", held=" + payloads.size() + "}";
    } finally {
      lock.unlock();
    }
  }
}
