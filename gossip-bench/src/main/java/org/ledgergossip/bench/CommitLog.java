package org.ledgergossip.bench;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;

/**
 * What one peer committed, checked as it happens against the rule every block scenario asserts:
 * each block exactly once, in order, from the height the peer started at, and the same block the
 * ordering service cut. Stamps are the peers' clock in nanoseconds. Thread-safe: the node commits
 * on its thread, the scenario reads from another.
 */
final class CommitLog {

  /** Violations described in full; more are only counted. */
  static final int DESCRIBED = 5;

  private final long start;

  @GuardedBy("this")
  private long next;

  @GuardedBy("this")
  private final Map<Long, Long> firstAt = new HashMap<>();

  @GuardedBy("this")
  private long commits;

  @GuardedBy("this")
  private int duplicates;

  @GuardedBy("this")
  private int gaps;

  @GuardedBy("this")
  private int mismatches;

  @GuardedBy("this")
  private final List<String> described = new ArrayList<>();

  /** A log of a peer whose ledger starts at {@code start} (its height before it ran). */
  CommitLog(long start) {
    this.start = start;
    this.next = start;
  }

  /**
   * Records {@code block}, committed at {@code nanos}; {@code reference} is the ordering service's
   * block of that number (null: not compared).
   */
  synchronized void committed(Block block, long nanos, @Nullable Block reference) {
    long n = block.number();
    commits++;
    if (n < next || firstAt.containsKey(n)) {
      duplicates++;
      describe("block " + n + " committed again (next expected " + next + ")");
    } else if (n > next) {
      gaps++;
      describe("block " + n + " committed while " + next + " was expected");
    }
    if (reference != null && !reference.equals(block)) {
      mismatches++;
      describe("block " + n + " differs from the ordering service's");
    }
    firstAt.putIfAbsent(n, nanos);
    next = Math.max(next, n + 1);
  }

  @GuardedBy("this")
  private void describe(String violation) {
    if (described.size() < DESCRIBED) {
      described.add(violation);
    }
  }

  /** The height the peer started at. */
  long start() {
    return start;
  }

  /** One past the highest block committed (the start if none). */
  synchronized long next() {
    return next;
  }

  /** Commits seen, duplicates included. */
  synchronized long commits() {
    return commits;
  }

  /** When block {@code n} was first committed, if it was. */
  synchronized OptionalLong at(long n) {
    Long at = firstAt.get(n);
    return at == null ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** Duplicates, gaps (out of order) and blocks unlike the ordering service's. */
  synchronized int violations() {
    return duplicates + gaps + mismatches;
  }

  synchronized int duplicates() {
    return duplicates;
  }

  synchronized int gaps() {
    return gaps;
  }

  synchronized int mismatches() {
    return mismatches;
  }

  /**
   * True if exactly the blocks {@code start..end-1} were committed, each once, in order, each the
   * ordering service's.
   */
  synchronized boolean isExactly(long end) {
    return violations() == 0 && next == end && commits == end - start;
  }

  /** The first violations in words, for a report. */
  synchronized List<String> described() {
    return List.copyOf(described);
  }
}
