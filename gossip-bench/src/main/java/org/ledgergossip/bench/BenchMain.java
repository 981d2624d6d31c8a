package org.ledgergossip.bench;

import java.util.Arrays;

/**
 * Entry point of {@code gossip-bench.jar}: {@code jmh [JMH options]} runs the micro-benchmarks (for
 * example {@code jmh CryptoBenchmark -wi 2 -i 3 -f 1}); {@code join}, {@code idle} and {@code
 * failure} run a whole network of peers and print {@code RESULT} lines (see {@link ScenarioOptions}
 * and {@link ScenarioRunner}); {@code spread}, {@code catchup}, {@code throughput} and {@code
 * failover} run whole nodes with blocks from the ordering-service emulator ({@link
 * BlockScenarios}). Exits 0 when the scenario reached its end state, 1 when it did not, 2 on a
 * usage error.
 */
public final class BenchMain {

  private static final String USAGE =
      """
      usage: java -jar gossip-bench.jar jmh [JMH options and benchmark patterns]
               benchmarks: CryptoBenchmark, HandshakeBenchmark, FrameThroughputBenchmark,
                 LedgerBenchmark
             java -jar gossip-bench.jar join|idle|failure [--peers N] [--transport inmemory|netty]
               [--virtual-time] [--seed S] [--timeout 120s] [--idle 10s] [--link-delay 5ms-50ms]
               [--silent] (failure in memory: partition the victim instead of killing it)
             java -jar gossip-bench.jar spread|catchup|throughput|failover|partition|jointstart
               [--peers N] [--transport inmemory|netty] [--virtual-time] [--seed S]
               [--timeout 120s] [--link-delay 5ms-50ms] [--blocks B] [--block-size BYTES]
               [--rate BLOCKS_PER_S] [--height H] [--timers fast|short|fabric]
               [--partition-for D] [--partition-mode black-hole|reset] (blocks: 1000 virtual / 300 real; block size 1024; rate 50;
               catchup height 1000; timers: gossip-node's fast test settings; short: election
               threshold 1 s, duration 500 ms; fabric: Fabric's defaults)
      """;

  private BenchMain() {}

  /** Runs the benchmark or scenario named by the first argument. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    ScenarioOptions options;
    try {
      options = ScenarioOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("gossip-bench: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    boolean ok =
        options.isBlockScenario()
            ? new BlockScenarios(options, System.out).run()
            : new ScenarioRunner(options, System.out).run();
    System.out.flush();
    // Non-daemon threads of a failed run must not keep the JVM alive.
    System.exit(ok ? 0 : 1);
  }
}
