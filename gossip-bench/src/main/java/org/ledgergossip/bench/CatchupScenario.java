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
 * ({@code raw_batch_mb_per_s}), {@value #RAW_BURSTS} bursts of one second each (the best one
 * counts; {@code *_bursts} lists them all), over the very transports of the run; {@code pct_of_raw}
 * = {@code transfer_wire_mb_per_s} / {@code raw_mb_per_s} × 100 ({@code pct_of_raw_batch} against
 * the batch-sized frames, {@code pct_of_raw_whole} with the whole {@code catchup_ms}). In virtual
 * time frames cost nothing, so no raw figure is given.
 */
final class CatchupScenario {

  /** Blocks submitted to the emulator at a time while the ledgers are prepared. */
  static final int CUT_CHUNK = 1000;

  /** Raw bursts per frame size; the best one is the transport's throughput. */
  static final int RAW_BURSTS = 3;

  /** Each raw burst lasts this long. */
  static final Duration RAW_BURST = Duration.ofSeconds(1);

  /** The raw bursts of one frame size. */
  private record Raw(RawThroughput.Result best, String all) {}

  private static Raw raw(NodeNetwork net, NodePeer from, NodePeer to, int frameSize)
      throws Exception {
    RawThroughput.Result best = null;
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < RAW_BURSTS; i++) {
      RawThroughput.Result r = RawThroughput.measure(net, from, to, frameSize, RAW_BURST);
      all.append(i == 0 ? "" : "/").append(Math.round(r.mbPerS() * 10) / 10.0);
      if (best == null || r.mbPerS() > best.mbPerS()) {
        best = r;
      }
    }
    return new Raw(best, all.toString());
  }

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
      // In chunks: the emulator refuses submissions beyond its bounded queue.
      for (long k = net.ordererHeight(); k < height; ) {
        long chunkEnd = Math.min(height, k + CUT_CHUNK);
        for (; k < chunkEnd; k++) {
          net.cutOne();
        }
        if (!net.runUntil(() -> net.ordererHeight() >= chunkEnd, o.timeout())) {
          out.println(line.put("reached", "cut_timeout").put("cut", net.ordererHeight()));
          return false;
        }
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
        Raw raw = raw(net, server, newcomer, (int) wireBytes);
        Raw rawBatch = raw(net, server, newcomer, (int) wireBytes * net.config.stateBatchSize());
        double wholeWire = committed * (double) wireBytes / seconds / 1e6;
        line.put("raw_frame_bytes", wireBytes)
            .put("raw_frames_per_s", raw.best().framesPerS())
            .put("raw_mb_per_s", raw.best().mbPerS())
            .put("raw_mb_per_s_bursts", raw.all())
            .put("raw_batch_mb_per_s", rawBatch.best().mbPerS())
            .put("raw_batch_mb_per_s_bursts", rawBatch.all())
            .put("pct_of_raw", 100 * transferWire / raw.best().mbPerS())
            .put("pct_of_raw_batch", 100 * transferWire / rawBatch.best().mbPerS())
            .put("pct_of_raw_whole", 100 * wholeWire / raw.best().mbPerS());
      }
      return BlockScenarios.finish(line, net, wall, cpu, setup, ok, out);
    }
  }
}
