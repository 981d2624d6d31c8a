package org.ledgergossip.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of a scenario, in the shape BENCHMARKS.md prescribes: {@code <scenario> [--peers
 * N] [--transport inmemory|netty] [--virtual-time] [--seed S] [--timeout 120s]}, plus {@code
 * [--idle 10s]} (the window over which idle traffic is measured) and {@code [--link-delay
 * 5ms-50ms]} (the in-memory network's per-frame delay range; {@code 0} for none) and {@code
 * [--silent]} ({@code failure} on the in-memory network: the victim is cut off by a partition, its
 * connections left open and its frames lost, instead of killed; it is then found by the expiry
 * check, not by its closed connections). The block scenarios ({@code spread}, {@code catchup},
 * {@code throughput}, {@code failover}; see {@link BlockScenarios}) also take {@code [--blocks B]}
 * (blocks cut in the measured phase; default 1,000 in virtual time, 300 in real time), {@code
 * [--block-size S]} (bytes of payload per block, default 1,024), {@code [--rate R]} (blocks cut per
 * second by {@code spread} and {@code failover}, default 50) and {@code [--height H]} (the height
 * the {@code catchup} newcomer must reach, default 1,000) and {@code [--timers fast|short|fabric]}
 * (the nodes' timers: gossip-node's fast test settings, the default; the same with the short
 * election timers of issue 7; or Fabric's defaults; see {@link Timers}). {@code partition} also
 * takes {@code [--partition-for D]} (how long the partition lasts; by default long enough for both
 * sides to elect and for the membership views to split, see {@link PartitionScenario}) and {@code
 * [--partition-mode black-hole|reset]} (connections across left open and silent, the default, or
 * closed at the split).
 *
 * @param scenario {@code join}, {@code idle} or {@code failure}
 * @param peers peers in the network, at least 2
 * @param transport the transport every peer uses
 * @param virtualTime true to run in virtual time (in-memory only)
 * @param seed the seed of every random choice of the run
 * @param timeout the limit of each phase (join, detection)
 * @param idle the idle-traffic window
 * @param delayMin the smallest in-memory frame delay
 * @param delayMax the largest in-memory frame delay
 * @param silent true to silence the failure scenario's victim instead of killing it
 * @param blocks blocks cut in a block scenario's measured phase, at least 1
 * @param blockSize payload bytes per block, at least 1
 * @param rate blocks cut per second (spread, failover), positive
 * @param height the ledger height of the catchup scenario's established peers, at least 2
 * @param timers the block scenarios' timer set
 * @param partitionFor how long the partition scenario keeps the sides apart; zero for its default
 * @param partitionReset true to close the connections across the partition when it starts
 */
record ScenarioOptions(
    String scenario,
    int peers,
    Kind transport,
    boolean virtualTime,
    long seed,
    Duration timeout,
    Duration idle,
    Duration delayMin,
    Duration delayMax,
    boolean silent,
    int blocks,
    int blockSize,
    double rate,
    int height,
    Timers timers,
    Duration partitionFor,
    boolean partitionReset) {

  /** The transports a scenario runs on. */
  enum Kind {
    INMEMORY,
    NETTY;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The timer sets of the block scenarios' nodes ({@code --timers}). */
  enum Timers {
    /** gossip-node's fast test settings ({@link NodeNetwork#FAST}): threshold 2 s, election 1 s. */
    FAST,
    /**
     * The fast settings with Fabric's four election timers divided by ten ({@link
     * NodeNetwork#SHORT}): threshold 1 s, election 500 ms, grace 1.5 s, sample 100 ms.
     */
    SHORT,
    /** Fabric's defaults: threshold 10 s, election 5 s, grace 15 s, alive 5 s. */
    FABRIC;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final Set<String> SCENARIOS =
      Set.of(
          "join",
          "idle",
          "failure",
          "spread",
          "catchup",
          "throughput",
          "failover",
          "partition",
          "jointstart");

  /** The scenarios of whole nodes with blocks, run by {@link BlockScenarios}. */
  static final Set<String> BLOCK_SCENARIOS =
      Set.of("spread", "catchup", "throughput", "failover", "partition", "jointstart");

  static final int DEFAULT_BLOCK_SIZE = 1024;
  static final double DEFAULT_RATE = 50;
  static final int DEFAULT_HEIGHT = 1000;

  ScenarioOptions {
    requireNonNull(scenario, "scenario");
    requireNonNull(transport, "transport");
    if (!SCENARIOS.contains(scenario)) {
      throw new IllegalArgumentException(
          "unknown scenario '"
              + scenario
              + "'; known: catchup, failover, failure, idle, join, jointstart, partition, spread,"
              + " throughput");
    }
    if (peers < 2) {
      throw new IllegalArgumentException("--peers must be at least 2, was " + peers);
    }
    if (virtualTime && transport == Kind.NETTY) {
      throw new IllegalArgumentException("--virtual-time needs --transport inmemory");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be positive, was " + timeout);
    }
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("--idle must be positive, was " + idle);
    }
    if (silent && (transport == Kind.NETTY || !scenario.equals("failure"))) {
      throw new IllegalArgumentException("--silent needs the failure scenario on inmemory");
    }
    if (delayMin.isNegative() || delayMax.compareTo(delayMin) < 0) {
      throw new IllegalArgumentException(
          "--link-delay needs 0 <= min <= max, was " + delayMin + "-" + delayMax);
    }
    if (blocks < 1 || blockSize < 1 || height < 2) {
      throw new IllegalArgumentException(
          "--blocks and --block-size must be at least 1 and --height at least 2, were "
              + blocks
              + ", "
              + blockSize
              + ", "
              + height);
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be a positive number, was " + rate);
    }
    requireNonNull(timers, "timers");
    if (partitionFor.isNegative()) {
      throw new IllegalArgumentException(
          "--partition-for must not be negative, was " + partitionFor);
    }
  }

  /** The options of a membership scenario, the block settings at their defaults. */
  ScenarioOptions(
      String scenario,
      int peers,
      Kind transport,
      boolean virtualTime,
      long seed,
      Duration timeout,
      Duration idle,
      Duration delayMin,
      Duration delayMax,
      boolean silent) {
    this(
        scenario,
        peers,
        transport,
        virtualTime,
        seed,
        timeout,
        idle,
        delayMin,
        delayMax,
        silent,
        defaultBlocks(virtualTime),
        DEFAULT_BLOCK_SIZE,
        DEFAULT_RATE,
        DEFAULT_HEIGHT,
        Timers.FAST,
        Duration.ZERO,
        false);
  }

  /** 1,000 blocks in virtual time, 300 in real time. */
  static int defaultBlocks(boolean virtualTime) {
    return virtualTime ? 1000 : 300;
  }

  /** True for the scenarios of whole nodes with blocks. */
  boolean isBlockScenario() {
    return BLOCK_SCENARIOS.contains(scenario);
  }

  /**
   * Parses {@code args}, the first being the scenario.
   *
   * @throws IllegalArgumentException with a message for the user if an argument is wrong
   */
  static ScenarioOptions parse(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("no scenario given");
    }
    String scenario = args[0];
    int peers = 10;
    Kind transport = Kind.INMEMORY;
    boolean virtualTime = false;
    boolean silent = false;
    long seed = 1;
    Duration timeout = Duration.ofMinutes(2);
    Duration idle = Duration.ofSeconds(10);
    Duration delayMin = Duration.ofMillis(5);
    Duration delayMax = Duration.ofMillis(50);
    Integer blocks = null;
    int blockSize = DEFAULT_BLOCK_SIZE;
    double rate = DEFAULT_RATE;
    int height = DEFAULT_HEIGHT;
    Timers timers = Timers.FAST;
    Duration partitionFor = Duration.ZERO;
    boolean partitionReset = false;
    for (int i = 1; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--virtual-time")) {
        virtualTime = true;
        continue;
      }
      if (option.equals("--silent")) {
        silent = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(
            option.startsWith("--")
                ? option + " needs a value"
                : "unexpected argument '" + option + "'");
      }
      String value = args[++i];
      switch (option) {
        case "--peers" -> peers = parseInt(option, value);
        case "--transport" -> transport = parseKind(value);
        case "--seed" -> seed = parseLong(option, value);
        case "--timeout" -> timeout = parseDuration(option, value);
        case "--idle" -> idle = parseDuration(option, value);
        case "--blocks" -> blocks = parseInt(option, value);
        case "--block-size" -> blockSize = parseInt(option, value);
        case "--rate" -> rate = parseDouble(option, value);
        case "--height" -> height = parseInt(option, value);
        case "--timers" -> timers = parseTimers(value);
        case "--partition-for" -> partitionFor = parseDuration(option, value);
        case "--partition-mode" -> partitionReset = parsePartitionMode(value);
        case "--link-delay" -> {
          int dash = value.indexOf('-');
          delayMin = parseDuration(option, dash < 0 ? value : value.substring(0, dash));
          delayMax = dash < 0 ? delayMin : parseDuration(option, value.substring(dash + 1));
        }
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    return new ScenarioOptions(
        scenario,
        peers,
        transport,
        virtualTime,
        seed,
        timeout,
        idle,
        delayMin,
        delayMax,
        silent,
        blocks == null ? defaultBlocks(virtualTime) : blocks,
        blockSize,
        rate,
        height,
        timers,
        partitionFor,
        partitionReset);
  }

  private static boolean parsePartitionMode(String value) {
    return switch (value) {
      case "black-hole" -> false;
      case "reset" -> true;
      default ->
          throw new IllegalArgumentException(
              "--partition-mode must be black-hole or reset, was '" + value + "'");
    };
  }

  private static Timers parseTimers(String value) {
    return switch (value) {
      case "fast" -> Timers.FAST;
      case "short" -> Timers.SHORT;
      case "fabric" -> Timers.FABRIC;
      default ->
          throw new IllegalArgumentException(
              "--timers must be fast, short or fabric, was '" + value + "'");
    };
  }

  private static Kind parseKind(String value) {
    return switch (value) {
      case "inmemory" -> Kind.INMEMORY;
      case "netty" -> Kind.NETTY;
      default ->
          throw new IllegalArgumentException(
              "--transport must be inmemory or netty, was '" + value + "'");
    };
  }

  private static int parseInt(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, was '" + value + "'", e);
    }
  }

  private static double parseDouble(String option, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, was '" + value + "'", e);
    }
  }

  private static long parseLong(String option, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, was '" + value + "'", e);
    }
  }

  /** {@code 120s}, {@code 500ms}, {@code 2m}, or a bare number of seconds. */
  static Duration parseDuration(String option, String value) {
    String v = value.trim();
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " needs a duration such as 120s, 500ms or 2m, was '" + value + "'", e);
    }
  }
}
