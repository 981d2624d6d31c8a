package org.ledgergossip.bench;

import java.util.Arrays;

/**
 * Entry point of {@code gossip-bench.jar}: {@code jmh [JMH options]} runs the micro-benchmarks (for
 * example {@code jmh CryptoBenchmark -wi 2 -i 3 -f 1}). Whole-network scenarios join with the
 * issues that bring membership and blocks.
 */
public final class BenchMain {

  private BenchMain() {}

  /** Runs the benchmark named by the first argument. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("jmh")) {
      System.err.print(
          """
          usage: java -jar gossip-bench.jar jmh [JMH options and benchmark patterns]
            benchmarks: CryptoBenchmark, HandshakeBenchmark, FrameThroughputBenchmark
            scenarios (join, spread, failure, ...) arrive with membership and blocks
          """);
      System.exit(2);
    }
    org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
  }
}
