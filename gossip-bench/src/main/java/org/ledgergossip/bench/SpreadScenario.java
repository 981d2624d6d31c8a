package org.ledgergossip.bench;

import static org.ledgergossip.bench.BlockScenarios.ms;
import static org.ledgergossip.bench.BlockScenarios.quantile;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.bench.NodeNetwork.Role;

/**
 * {@code spread} and {@code throughput}: one organisation of N nodes, peer 0 its static leader
 * pulling from the ordering-service emulator, the others static followers.
 *
 * <ul>
 *   <li>Warm-up: every node holds the others alive and has committed block 0 (the emulator's
 *       genesis block); the phase then starts once {@code publishCertPeriod} (10 s) has passed
 *       since the starts, so that identities no longer ride on alive messages.
 *   <li>{@code spread}: the emulator cuts {@code --blocks} blocks of {@code --block-size} payload
 *       bytes at {@code --rate} blocks/s. Per block, {@code p50_ms}/{@code p99_ms}/{@code max_ms}:
 *       from the leader's receipt (its block source hands the verified block over) until the last
 *       node committed it; {@code after_leader_*}: from the leader's commit instead.
 *   <li>{@code throughput}: the emulator cuts as fast as the leader takes them: {@value #WINDOW}
 *       blocks ahead, one more at each of the leader's commits, {@code --blocks} in all. {@code
 *       slowest_blocks_per_s} = blocks / time until the slowest node committed the last one.
 * </ul>
 *
 * Both report traffic per node per block (frames and bytes every node sent, all kinds), the block
 * copies each follower received by gossip per block ({@code copies_per_peer}; 1.0 is the floor),
 * and the exactly-once/in-order check of every node's commits.
 */
final class SpreadScenario {

  /** Blocks the throughput scenario keeps cut ahead of the leader's ledger. */
  static final int WINDOW = 10;

  private final ScenarioOptions o;
  private final PrintStream out;
  private final boolean throughput;

  SpreadScenario(ScenarioOptions options, PrintStream out, boolean throughput) {
    this.o = options;
    this.out = out;
    this.throughput = throughput;
  }

  boolean run() throws Exception {
    int n = o.peers();
    int blocks = o.blocks();
    long setup0 = System.nanoTime();
    try (NodeNetwork net = new NodeNetwork(o, n)) {
      List<NodePeer> peers = new ArrayList<>();
      long t0 = net.nanos();
      peers.add(net.start(0, Role.LEADER));
      for (int i = 1; i < n; i++) {
        peers.add(net.start(i, Role.FOLLOWER));
      }
      long setup = System.nanoTime() - setup0;
      NodePeer leader = peers.get(0);
      List<NodePeer> followers = peers.subList(1, n);
      ResultLine line = line();
      boolean warm = BlockScenarios.warmUp(net, peers, 1, o.timeout());
      line.putMillis("warmup_ms", ms(net.nanos() - t0));
      if (!warm) {
        out.println(line.put("ok", false).put("reached", "warmup_timeout"));
        return false;
      }
      long quiet = t0 + net.config.publishCertPeriod().toNanos();
      if (net.nanos() < quiet) {
        net.runFor(ms(quiet - net.nanos()));
      }

      long[] sent0 = net.sent();
      long[] copies0 = copies(followers);
      long[] via0 = BlockScenarios.via(followers);
      long dropped0 = BlockScenarios.beyondBuffer(followers);
      long cpu0 = ScenarioRunner.cpuNanos();
      long wall0 = System.nanoTime();
      long start = net.nanos();
      @Nullable Cancellable cutter = null;
      if (throughput) {
        AtomicInteger cut = new AtomicInteger();
        leader.afterCommit =
            () -> {
              if (cut.getAndIncrement() < blocks) {
                net.cutOne();
              }
            };
        for (int i = 0; i < Math.min(WINDOW, blocks) && cut.getAndIncrement() < blocks; i++) {
          net.cutOne();
        }
      } else {
        cutter = net.cutAtRate(blocks, o.rate());
      }
      long end = blocks + 1L;
      boolean reached = net.runUntil(() -> NodeNetwork.allAt(peers, end), o.timeout());
      if (cutter != null) {
        cutter.cancel();
      }
      leader.afterCommit = null;
      long finish = net.nanos();
      long wall = System.nanoTime() - wall0;
      long cpu = ScenarioRunner.cpuNanos() - cpu0;
      long[] sent1 = net.sent();
      long[] copies1 = copies(followers);
      long[] via1 = BlockScenarios.via(followers);
      long dropped1 = BlockScenarios.beyondBuffer(followers);

      long[] latency = new long[blocks];
      long[] afterLeader = new long[blocks];
      int complete = 0;
      for (long k = 1; k <= blocks; k++) {
        OptionalLong receipt = net.receipts.first(k);
        OptionalLong leaderAt = leader.log.at(k);
        long last = lastCommit(peers, k);
        if (receipt.isPresent() && leaderAt.isPresent() && last >= 0) {
          latency[complete] = last - receipt.getAsLong();
          afterLeader[complete] = last - leaderAt.getAsLong();
          complete++;
        }
      }
      latency = Arrays.copyOf(latency, complete);
      afterLeader = Arrays.copyOf(afterLeader, complete);
      long lastBlock = lastCommit(peers, blocks);
      long total = (reached && lastBlock >= 0 ? lastBlock : finish) - start;
      double seconds = total / 1e9;
      long blockBytes = BlockScenarios.blockBytes(net);
      int followerCount = Math.max(1, n - 1);

      line.put("reached", reached ? "all_level" : "timeout")
          .put("blocks", blocks)
          .put("block_size", o.blockSize())
          .put("block_bytes", blockBytes);
      if (throughput) {
        line.put("window", WINDOW);
      } else {
        line.put("rate", o.rate());
      }
      line.put("complete_blocks", complete)
          .putMillis("p50_ms", ms(quantile(latency, 0.50)))
          .putMillis("p99_ms", ms(quantile(latency, 0.99)))
          .putMillis("max_ms", ms(quantile(latency, 1.0)))
          .putMillis("after_leader_p50_ms", ms(quantile(afterLeader, 0.50)))
          .putMillis("after_leader_p99_ms", ms(quantile(afterLeader, 0.99)))
          .putMillis("total_ms", ms(total))
          .put("blocks_per_s", complete / seconds);
      if (throughput) {
        OptionalLong leaderLast = leader.log.at(blocks);
        long leaderTime = leaderLast.isPresent() ? leaderLast.getAsLong() - start : -1;
        if (leaderTime == 0) {
          line.put("leader_blocks_per_s", "inf"); // virtual time: the leader's chain costs no time
        } else {
          line.put("leader_blocks_per_s", leaderTime < 0 ? 0 : blocks / (leaderTime / 1e9));
        }
        line.put("slowest_blocks_per_s", complete / seconds)
            .put("mb_per_s", complete * (double) blockBytes / seconds / 1e6);
      }
      line.put("copies_per_peer", (copies1[0] - copies0[0]) / (double) blocks / followerCount)
          .put("msgs_per_peer_per_block", (sent1[0] - sent0[0]) / (double) blocks / n)
          .put("bytes_per_peer_per_block", (sent1[1] - sent0[1]) / (double) blocks / n)
          .put(
              "copy_bytes_per_peer_per_block",
              (copies1[1] - copies0[1]) / (double) blocks / followerCount);
      BlockScenarios.putVia(line, via0, via1);
      line.put("beyond_buffer_drops", dropped1 - dropped0);
      int bad = BlockScenarios.putOrderCheck(line, peers, end);
      boolean ok = reached && complete == blocks && bad == 0;
      return BlockScenarios.finish(line, net, wall, cpu, setup, ok, out);
    }
  }

  private ResultLine line() {
    return BlockScenarios.line(o, throughput ? "throughput" : "spread").put("ok", false);
  }

  /** When the last of {@code peers} committed block {@code k}; -1 if one has not. */
  private static long lastCommit(List<NodePeer> peers, long k) {
    long last = -1;
    for (NodePeer p : peers) {
      OptionalLong at = p.log.at(k);
      if (at.isEmpty()) {
        return -1;
      }
      last = Math.max(last, at.getAsLong());
    }
    return last;
  }

  /** Block copies the peers received by gossip, and the bytes of their frames. */
  private static long[] copies(List<NodePeer> peers) {
    long[] sum = new long[2];
    for (NodePeer p : peers) {
      sum[0] += p.copies.sum();
      sum[1] += p.copyBytes.sum();
    }
    return sum;
  }
}
