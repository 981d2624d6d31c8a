package org.ledgergossip.peer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.peer.ops.StatusReader;

/**
 * What the demo knows of its network at one poll, and the history it measures from: each peer's
 * last {@code /status}, and for each block number the time the first peer and the time the last
 * running peer had it. Not thread-safe: the demo's thread owns it.
 */
final class NetworkWatch {

  /** One peer's row of the live view. */
  record Row(
      String name,
      String org,
      boolean running,
      int alive,
      long height,
      boolean leader,
      double pushPerSecond,
      double pullPerSecond,
      double statePerSecond) {}

  private final String channel;
  private final Map<String, StatusReader> last = new LinkedHashMap<>();
  private final Map<String, Long> lastAtNanos = new LinkedHashMap<>();
  private final Map<String, double[]> rates = new LinkedHashMap<>();
  private final TreeMap<Long, Long> firstSeen = new TreeMap<>();
  private final TreeMap<Long, Long> everywhere = new TreeMap<>();

  NetworkWatch(String channel) {
    this.channel = channel;
  }

  /** Records {@code status} of {@code name} polled at {@code nanos} (null: no answer). */
  void record(String name, @Nullable StatusReader status, long nanos) {
    if (status == null) {
      last.remove(name);
      return;
    }
    Optional<StatusReader.Channel> c = status.channel(channel);
    StatusReader before = last.put(name, status);
    Long beforeAt = lastAtNanos.put(name, nanos);
    if (c.isPresent() && before != null && beforeAt != null) {
      Optional<StatusReader.Channel> b = before.channel(channel);
      double seconds = (nanos - beforeAt) / 1e9;
      if (b.isPresent() && seconds > 0) {
        rates.put(
            name,
            new double[] {
              (c.get().byPush() - b.get().byPush()) / seconds,
              (c.get().byPull() - b.get().byPull()) / seconds,
              (c.get().byStateTransfer() - b.get().byStateTransfer()) / seconds
            });
      }
    }
    if (c.isPresent()) {
      for (long n = firstSeen.isEmpty() ? 0 : firstSeen.lastKey() + 1; n < c.get().height(); n++) {
        firstSeen.put(n, nanos);
      }
    }
  }

  /** After a poll of every running peer: marks the blocks every running peer now has. */
  void pollDone(List<String> running, long nanos) {
    long min = Long.MAX_VALUE;
    for (String name : running) {
      StatusReader s = last.get(name);
      long h = s == null ? 0 : s.channel(channel).map(StatusReader.Channel::height).orElse(0L);
      min = Math.min(min, h);
    }
    if (min == Long.MAX_VALUE) {
      return;
    }
    for (long n = everywhere.isEmpty() ? 0 : everywhere.lastKey() + 1; n < min; n++) {
      everywhere.put(n, nanos);
    }
  }

  Optional<StatusReader> status(String name) {
    return Optional.ofNullable(last.get(name));
  }

  long height(String name) {
    return status(name)
        .flatMap(s -> s.channel(channel))
        .map(StatusReader.Channel::height)
        .orElse(-1L);
  }

  boolean leads(String name) {
    return status(name)
        .flatMap(s -> s.channel(channel))
        .map(StatusReader.Channel::isLeader)
        .orElse(false);
  }

  long fromOrderer(String name) {
    return status(name)
        .flatMap(s -> s.channel(channel))
        .map(StatusReader.Channel::fromOrderer)
        .orElse(0L);
  }

  int alive(String name) {
    return status(name).map(s -> s.alive().size()).orElse(-1);
  }

  /** The rows of the live view for {@code names} (org taken from the status, or "?"). */
  List<Row> rows(List<String> names, List<String> running) {
    List<Row> out = new ArrayList<>();
    for (String name : names) {
      Optional<StatusReader> s = status(name);
      double[] r = rates.getOrDefault(name, new double[3]);
      out.add(
          new Row(
              name,
              s.map(x -> x.peer().mspId()).orElse("?"),
              running.contains(name) && s.isPresent(),
              alive(name),
              height(name),
              leads(name),
              r[0],
              r[1],
              r[2]));
    }
    return out;
  }

  /**
   * Milliseconds from the first peer having a block to every running peer having it, for every
   * block both were seen of after {@code fromBlock}, sorted.
   */
  List<Long> spreadMillis(long fromBlock) {
    return spreadMillis(fromBlock, Long.MAX_VALUE);
  }

  /** {@link #spreadMillis(long)} for blocks {@code fromBlock} to {@code toBlock} (exclusive). */
  List<Long> spreadMillis(long fromBlock, long toBlock) {
    List<Long> out = new ArrayList<>();
    for (Map.Entry<Long, Long> e : everywhere.subMap(fromBlock, toBlock).entrySet()) {
      Long first = firstSeen.get(e.getKey());
      if (first != null) {
        out.add(Math.max(0, (e.getValue() - first) / 1_000_000));
      }
    }
    out.sort(null);
    return out;
  }

  /** The highest height any peer reported. */
  long maxHeight() {
    return firstSeen.isEmpty() ? 0 : firstSeen.lastKey() + 1;
  }
}
