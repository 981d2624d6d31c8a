package org.ledgergossip.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ledgergossip.bench.NodeNetwork.LeadershipStamp;

/**
 * How many of a set of peers led at each moment of a window, read from their leadership events
 * ({@link NodeNetwork#leadership}): the largest number of simultaneous leaders, how long more than
 * one led (in all and in the longest stretch), when the first leader appeared, and since when
 * exactly one has led without interruption. Events stamped at the same instant are applied together
 * before the count is read, so a hand-over within one instant is not counted as zero or two
 * leaders. Immutable; computed once.
 *
 * @param maxLeaders the most peers leading at once within the window
 * @param multiNanos total time within the window during which more than one peer led
 * @param longestMultiNanos the longest uninterrupted stretch with more than one leader
 * @param firstLeaderNanos from the window's start until at least one peer led; -1 if never
 * @param stableOneNanos from the window's start until the moment after which exactly one peer led
 *     until the window's end; -1 if the window does not end with exactly one leader
 * @param changes leadership events within the window
 * @param leadersAtEnd peers leading at the window's end
 */
record LeaderTimeline(
    int maxLeaders,
    long multiNanos,
    long longestMultiNanos,
    long firstLeaderNanos,
    long stableOneNanos,
    int changes,
    int leadersAtEnd) {

  /**
   * The timeline of {@code peers} between {@code from} and {@code to} (nanoseconds on the peers'
   * clock); events before {@code from} set the state at its start.
   */
  static LeaderTimeline of(List<LeadershipStamp> stamps, Set<Integer> peers, long from, long to) {
    List<LeadershipStamp> sorted = new ArrayList<>();
    for (LeadershipStamp s : stamps) {
      if (peers.contains(s.peer()) && s.nanos() <= to) {
        sorted.add(s);
      }
    }
    sorted.sort(Comparator.comparingLong(LeadershipStamp::nanos));
    Set<Integer> leading = new HashSet<>();
    int i = 0;
    while (i < sorted.size() && sorted.get(i).nanos() <= from) {
      apply(leading, sorted.get(i++));
    }
    int max = leading.size();
    long multi = 0;
    long longest = 0;
    long multiSince = leading.size() > 1 ? from : -1;
    long first = leading.isEmpty() ? -1 : 0;
    long oneSince = leading.size() == 1 ? from : -1;
    int changes = 0;
    while (i < sorted.size()) {
      long t = sorted.get(i).nanos();
      while (i < sorted.size() && sorted.get(i).nanos() == t) {
        apply(leading, sorted.get(i++));
        changes++;
      }
      int n = leading.size();
      max = Math.max(max, n);
      if (n > 1 && multiSince < 0) {
        multiSince = t;
      } else if (n <= 1 && multiSince >= 0) {
        multi += t - multiSince;
        longest = Math.max(longest, t - multiSince);
        multiSince = -1;
      }
      if (n >= 1 && first < 0) {
        first = t - from;
      }
      if (n == 1 && oneSince < 0) {
        oneSince = t;
      } else if (n != 1) {
        oneSince = -1;
      }
    }
    if (multiSince >= 0) {
      multi += to - multiSince;
      longest = Math.max(longest, to - multiSince);
    }
    return new LeaderTimeline(
        max, multi, longest, first, oneSince < 0 ? -1 : oneSince - from, changes, leading.size());
  }

  private static void apply(Set<Integer> leading, LeadershipStamp s) {
    if (s.event().leader()) {
      leading.add(s.peer());
    } else {
      leading.remove(s.peer());
    }
  }

  /** Adds the figures to {@code line}, each key prefixed with {@code prefix}. */
  void put(ResultLine line, String prefix) {
    line.put(prefix + "max_leaders", maxLeaders)
        .putMillis(prefix + "multi_leader_ms", BlockScenarios.ms(multiNanos))
        .putMillis(prefix + "longest_multi_leader_ms", BlockScenarios.ms(longestMultiNanos));
  }
}
