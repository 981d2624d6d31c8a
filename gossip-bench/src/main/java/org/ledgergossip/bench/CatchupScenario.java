package org.ledgergossip.bench;

import static org.ledgergossip.bench.BlockScenarios.ms;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.ledgergossip.bench.NodeNetwork.Role;

/**
 * {@code catchup}: N nodes of one organisation whose ledgers already hold the emulator's blocks
 * {@code 0..H-1} ({@code --height}; written into their {@code file} ledgers before they start),
 * peer 0 the static leader. Once they hold each other alive, a new node with an empty ledger
 * starts, bootstrapping from peer 0. {@code catchup_ms}: from its start until it committed block
 * H−1; {@code first_block_ms}: until its first commit; {@code blocks_per_s} and {@code mb_per_s}
 * over {@code catchup_ms} (H blocks, payload bytes), {@code transfer_blocks_per_s} and {@code
 * transfer_mb_per_s} between its first and last commits; {@code transfer_wire_mb_per_s} the same in
 * bytes of marshalled blocks ({@code block_wire_bytes}: payload, header, orderer signature).
 * Checked: the newcomer committed {@code 0..H-1} exactly once in order, the others committed
 * nothing.
 *
 * <p>In real time the raw transport throughput of the same run follows ({@link RawThroughput}):
 * peer 0 sends the newcomer frames of one marshalled block ({@code raw_mb_per_s}, {@code
 * raw_frames_per_s}) and then of {@code stateBatchSize} blocks, the size of a full state response
 * ({@code raw_batch_mb_per_s}), {@value #RAW_BURST_S} s each, over the very transports of the run;
 * {@code pct_of_raw} = {@code transfer_wire_mb_per_s} / {@code raw_mb_per_s} × 100 ({@code
 * pct_of_raw_batch} against the batch-sized frames, {@code pct_of_raw_whole} with the whole {@code
 * catchup_ms}). In virtual time frames cost nothing, so no raw figure is given.
 */
final class CatchupScenario {

  /** Seconds of each raw burst. */
  static final int RAW_BURST_S = 2;

  private final ScenarioOptions o;
  private final PrintStream out;

  CatchupScenario(ScenarioOptions options, PrintStream out) {
    this.o = options;
    this.out = out;
  }

  boolean run() throws Exception {
    int n = o.peers();
    long height = o.height();
    long setup0 = System.nanoTime();
    try (NodeNetwork net = new NodeNetwork(o, n + 1)) {
      ResultLine line =
          BlockScenarios.line(o, "catchup")
              .put("ok", false)
              .put("height", height)
              .put("block_size", o.blockSize());
      for (long k = net.ordererHeight(); k < height; k++) {
        net.cutOne();
      }
      if (!net.runUntil(() -> net.ordererHeight() >= height, o.timeout())) {
        out.println(line.put("reached", "cut_timeout").put("cut", net.ordererHeight()));
        return false;
      }
      for (int i = 0; i < n; i++) {
        net.prefill(i, height);
      }
      List<NodePeer> peers = new ArrayList<>();
      long t0 = net.nanos();
      peers.add(net.start(0, Role.LEADER));
      for (int i = 1; i < n; i++) {
        peers.add(net.start(i, Role.FOLLOWER));
      }
      long setup = System.nanoTime() - setup0;
      boolean warm = net.runUntil(() -> NodeNetwork.converged(peers), o.timeout());
      line.putMillis("warmup_ms", ms(net.nanos() - t0));
      if (!warm) {
        out.println(line.put("reached", "warmup_timeout"));
        return false;
      }

      long cpu0 = ScenarioRunner.cpuNanos();
      long wall0 = System.nanoTime();
      long[] sent0 = net.sent();
      long start = net.nanos();
      NodePeer newcomer = net.start(n, Role.FOLLOWER);
      peers.add(newcomer);
      boolean reached = net.runUntil(() -> newcomer.height() >= height, o.timeout());
      long finish = net.nanos();
      long wall = System.nanoTime() - wall0;
      long cpu = ScenarioRunner.cpuNanos() - cpu0;
      long[] sent1 = net.sent();

      OptionalLong first = newcomer.log.at(0);
      OptionalLong last = newcomer.log.at(height - 1);
      long catchup = (last.isPresent() ? last.getAsLong() : finish) - start;
      long transfer =
          first.isPresent() && last.isPresent() ? last.getAsLong() - first.getAsLong() : 0;
      long committed = newcomer.log.next();
      double seconds = catchup / 1e9;
      long blockBytes = BlockScenarios.blockBytes(net);
      long wireBytes = BlockScenarios.blockWireBytes(net);
      double transferWire =
          transfer > 0 ? (committed - 1) * (double) wireBytes / (transfer / 1e9) / 1e6 : 0;
      line.put("reached", reached ? "level" : "timeout")
          .put("newcomer_height", committed)
          .put("block_bytes", blockBytes)
          .putMillis("catchup_ms", ms(catchup))
          .putMillis(
              "first_block_ms", ms(first.isPresent() ? first.getAsLong() - start : -1_000_000))
          .putMillis("transfer_ms", ms(transfer))
          .put("blocks_per_s", committed / seconds)
          .put(
              "transfer_blocks_per_s",
              transfer > 0 ? (committed - 1) / (transfer / 1e9) : Double.NaN)
          .put("mb_per_s", committed * (double) blockBytes / seconds / 1e6)
          .put(
              "transfer_mb_per_s",
              transfer > 0 ? (committed - 1) * (double) blockBytes / (transfer / 1e9) / 1e6 : 0)
          .put("block_wire_bytes", wireBytes)
          .put("transfer_wire_mb_per_s", transferWire)
          .put("copies_per_block", newcomer.copies.sum() / (double) Math.max(1, committed))
          .put("received_bytes", newcomer.transport.traffic.receivedBytes.sum())
          .put("msgs", sent1[0] - sent0[0])
          .put("bytes", sent1[1] - sent0[1]);
      int bad = BlockScenarios.putOrderCheck(line, peers, height);
      boolean ok = reached && bad == 0;
      if (!o.virtualTime() && reached) {
        NodePeer server = peers.get(0);
        Duration burst = Duration.ofSeconds(RAW_BURST_S);
        RawThroughput.Result raw =
            RawThroughput.measure(net, server, newcomer, (int) wireBytes, burst);
        int batch = net.config.stateBatchSize();
        RawThroughput.Result rawBatch =
            RawThroughput.measure(net, server, newcomer, (int) wireBytes * batch, burst);
        double wholeWire = committed * (double) wireBytes / seconds / 1e6;
        line.put("raw_frame_bytes", wireBytes)
            .put("raw_frames_per_s", raw.framesPerS())
            .put("raw_mb_per_s", raw.mbPerS())
            .put("raw_batch_mb_per_s", rawBatch.mbPerS())
            .put("pct_of_raw", 100 * transferWire / raw.mbPerS())
            .put("pct_of_raw_batch", 100 * transferWire / rawBatch.mbPerS())
            .put("pct_of_raw_whole", 100 * wholeWire / raw.mbPerS());
      }
      line.putMillis("wall_ms", ms(wall))
          .putMillis("cpu_ms", ms(cpu))
          .putMillis("setup_ms", ms(setup));
      if (o.virtualTime()) {
        line.put("failed_tasks", net.failedTasks());
      }
      out.println(line.put("ok", ok));
      return ok;
    }
  }
}
