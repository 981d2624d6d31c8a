package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * {@code gossip demo}: a whole network as child processes on loopback, with real mutual TLS, and
 * the story of OPERATIONS.md told and checked against each peer's {@code /status}: blocks flow; the
 * leader of org1 is killed and another takes over; a peer started late catches up; the killed peer
 * comes back and is seen alive again. Then a summary with measured figures. Every child is stopped
 * at the end, on failure and on Ctrl-C. Not thread-safe: one run per instance.
 */
final class NetworkDemo {

  /** What one step of the story reached. */
  record Step(String name, boolean ok, String detail, double seconds) {}

  static final String CHANNEL = NetworkLayout.DEFAULT_CHANNEL;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration STEP_LIMIT = Duration.ofMinutes(2);

  private final int orgs;
  private final int peersPerOrg;
  private final Duration duration;
  private final boolean live;
  private final PrintWriter out;
  private final NetworkLayout layout;
  private final OpsClient ops = new OpsClient();
  private final NetworkWatch watch = new NetworkWatch(CHANNEL);
  private final Map<String, NetworkLayout.Member> members = new LinkedHashMap<>();
  private final Map<String, ProcessHandle> running = new LinkedHashMap<>();
  private final List<Step> steps = new ArrayList<>();
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private long polls;
  private long pollNanos;

  NetworkDemo(
      Path dir, int orgs, int peersPerOrg, Duration duration, boolean live, PrintWriter out) {
    this.orgs = orgs;
    this.peersPerOrg = peersPerOrg;
    this.duration = duration;
    this.live = live;
    this.out = out;
    this.layout = new NetworkLayout(dir);
  }

  /**
   * Runs the story.
   *
   * @return the steps, in order; the demo succeeded if every one is ok
   */
  List<Step> run() throws IOException, InterruptedException {
    say(
        "setting up a network in %s: an ordering service and %d organisations of %d peers,"
            + " channel %s, dynamic leader election, mutual TLS on 127.0.0.1",
        layout.dir, orgs, peersPerOrg, CHANNEL);
    for (NetworkLayout.Member m :
        layout.init(orgs, peersPerOrg, List.of(CHANNEL), 27050, List.of(), 4)) {
      members.put(m.name(), m);
    }
    List<String> peers = members.keySet().stream().filter(n -> !n.equals("orderer")).toList();
    String late = peers.get(peers.size() - 1);
    start("orderer");
    for (String p : peers) {
      if (!p.equals(late)) {
        start(p);
      }
    }
    say("started the orderer and %d peers; %s will join later", peers.size() - 1, late);
    long storyStart = System.nanoTime();

    // 1. Blocks flow: everyone sees everyone, one leader per organisation, heights rising.
    int others = peers.size() - 2;
    long[] flowFrom = new long[1];
    step(
        "blocks flow to every peer",
        () ->
            runningPeers().stream().allMatch(p -> watch.alive(p) >= others)
                && leadersPerOrg().values().stream().allMatch(l -> l.size() == 1)
                && leadersPerOrg().size() == orgs
                && minHeight() >= 10
                && maxHeight() - minHeight() <= 3,
        () -> {
          flowFrom[0] = minHeight();
          return String.format(
              "%d peers see each other; leaders %s; height %d",
              runningPeers().size(), leaderNames(), minHeight());
        });

    // 2. Kill the leader of org1; another takes over and pulls.
    String killed =
        leadersPerOrg().getOrDefault(orgName(1), List.of()).stream().findFirst().orElse(null);
    long killBlock = maxHeight();
    double failover = Double.NaN;
    if (killed != null) {
      say("killing the leader of Org1MSP, %s, with SIGKILL", killed);
      ProcessHandle h = running.remove(killed);
      h.destroyForcibly();
      h.onExit().join();
      long killedAt = System.nanoTime();
      Map<String, Long> pulledBefore = new LinkedHashMap<>();
      for (String p : runningPeers()) {
        pulledBefore.put(p, watch.fromOrderer(p));
      }
      String[] newLeader = new String[1];
      boolean ok =
          step(
              "a new leader of Org1MSP takes over",
              () -> {
                for (String p : runningPeers()) {
                  if (p.contains(".org1.")
                      && watch.leads(p)
                      && watch.fromOrderer(p) > pulledBefore.getOrDefault(p, 0L)) {
                    newLeader[0] = p;
                    return true;
                  }
                }
                return false;
              },
              () -> newLeader[0] + " leads and pulls from the ordering service");
      if (ok) {
        failover = (System.nanoTime() - killedAt) / 1e9;
      }
    } else {
      steps.add(new Step("a new leader of Org1MSP takes over", false, "no leader to kill", 0));
    }

    // 3. The late peer starts and catches up.
    long target = maxHeight();
    long lateStart = System.nanoTime();
    start(late);
    double[] catchUp = new double[1];
    step(
        late + " starts late and catches up",
        () -> watch.height(late) >= target,
        () -> {
          double s = (System.nanoTime() - lateStart) / 1e9;
          catchUp[0] = target / Math.max(s, 0.001);
          return String.format(
              "%d blocks in %.1f s (start-up included), %.0f blocks/s", target, s, catchUp[0]);
        });

    // 4. The killed peer comes back: seen alive again, catches up.
    if (killed != null) {
      String back = killed;
      start(back);
      int all = peers.size() - 1;
      step(
          back + " comes back and is seen alive again",
          () ->
              runningPeers().stream()
                      .filter(p -> !p.equals(back))
                      .allMatch(p -> watch.alive(p) >= all)
                  && watch.height(back) >= maxHeight() - 3,
          () -> String.format("every peer sees %d others; its height %d", all, watch.height(back)));
    }

    // Blocks keep flowing for the rest of the duration.
    long steadyFrom = maxHeight();
    long end = storyStart + duration.toNanos();
    while (System.nanoTime() < end) {
      poll();
    }
    // The spread is measured where membership is steady: after the story if it lasted long
    // enough, else between the first step and the kill.
    boolean steady = watch.spreadMillis(steadyFrom).size() >= 20;
    summary(
        steady ? steadyFrom : flowFrom[0],
        steady ? Long.MAX_VALUE : killBlock,
        failover,
        catchUp[0]);
    return steps;
  }

  /** Stops every child this demo started (peers first); idempotent. */
  void stopAll() {
    List<String> names = new ArrayList<>(running.keySet());
    names.sort(Comparator.comparing((String n) -> n.equals("orderer")));
    for (String n : names) {
      ProcessHandle h = running.get(n);
      if (h != null && !n.equals("orderer")) {
        h.destroy();
      }
    }
    for (String n : names) {
      ProcessHandle h = running.remove(n);
      if (h != null) {
        Children.terminate(h, Duration.ofSeconds(10));
      }
    }
  }

  /** Deletes the demo's folder. */
  void delete() throws IOException {
    if (!Files.exists(layout.dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(layout.dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void start(String name) throws IOException {
    NetworkLayout.Member m = members.get(name);
    running.put(
        name,
        Children.start(
            layout.run(),
            name,
            List.of(m.kind(), "start", "--config", m.config().toString()),
            Map.of(),
            List.of("-XX:TieredStopAtLevel=1")));
  }

  private List<String> runningPeers() {
    return running.keySet().stream().filter(n -> !n.equals("orderer")).toList();
  }

  private String orgName(int org) {
    return "Org" + org + "MSP";
  }

  private Map<String, List<String>> leadersPerOrg() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String p : runningPeers()) {
      Optional<String> org = watch.status(p).map(s -> s.peer().mspId());
      if (org.isPresent()) {
        List<String> l = out.computeIfAbsent(org.get(), k -> new ArrayList<>());
        if (watch.leads(p)) {
          l.add(p);
        }
      }
    }
    return out;
  }

  private String leaderNames() {
    List<String> names = new ArrayList<>();
    leadersPerOrg().forEach((org, l) -> names.add(org + ": " + String.join(",", l)));
    return String.join("; ", names);
  }

  private long minHeight() {
    return runningPeers().stream().mapToLong(watch::height).min().orElse(0);
  }

  private long maxHeight() {
    return runningPeers().stream().mapToLong(watch::height).max().orElse(0);
  }

  /** Polls until {@code done} or the step limit; records the step. */
  private boolean step(
      String name, BooleanSupplier done, java.util.function.Supplier<String> detail)
      throws InterruptedException {
    long t0 = System.nanoTime();
    long limit = t0 + STEP_LIMIT.toNanos();
    boolean ok = false;
    while (System.nanoTime() < limit) {
      poll();
      if (done.getAsBoolean()) {
        ok = true;
        break;
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    String d =
        ok ? detail.get() : "not reached within " + STEP_LIMIT.toSeconds() + " s: " + leaderNames();
    steps.add(new Step(name, ok, d, s));
    say("%s %s (%.1f s): %s", ok ? "ok  " : "FAIL", name, s, d);
    return ok;
  }

  private void poll() throws InterruptedException {
    long t0 = System.nanoTime();
    for (String p : runningPeers()) {
      watch.record(p, ops.status(members.get(p).operations()).orElse(null), System.nanoTime());
    }
    watch.pollDone(runningPeers(), System.nanoTime());
    polls++;
    pollNanos += System.nanoTime() - t0;
    for (Map.Entry<String, ProcessHandle> e : new ArrayList<>(running.entrySet())) {
      if (!e.getValue().isAlive()) {
        running.remove(e.getKey());
        say("%s exited unexpectedly; see %s", e.getKey(), Children.log(layout.run(), e.getKey()));
      }
    }
    draw();
    long left = POLL.toNanos() - (System.nanoTime() - t0);
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private void draw() {
    long now = System.nanoTime();
    if (now - lastDraw < (live ? 500_000_000L : 5_000_000_000L)) {
      return;
    }
    lastDraw = now;
    List<String> names = members.keySet().stream().filter(n -> !n.equals("orderer")).toList();
    if (live) {
      out.print("\033[H\033[2J");
      out.printf("ledgergossip demo, %.0f s — %s%n%n", elapsed(), layout.dir);
      out.printf(
          "%-24s %-8s %5s %7s %3s %7s %7s %7s%n",
          "PEER", "ORG", "ALIVE", "HEIGHT", "LDR", "PUSH/s", "PULL/s", "STATE/s");
      for (NetworkWatch.Row r : watch.rows(names, runningPeers())) {
        if (!r.running()) {
          out.printf("%-24s %-8s %s%n", r.name(), r.org(), "(not running)");
          continue;
        }
        out.printf(
            Locale.ROOT,
            "%-24s %-8s %5d %7d %3s %7.1f %7.1f %7.1f%n",
            r.name(),
            r.org(),
            r.alive(),
            r.height(),
            r.leader() ? "★" : "",
            r.pushPerSecond(),
            r.pullPerSecond(),
            r.statePerSecond());
      }
      out.println();
      for (Step s : steps) {
        out.printf("%s %s: %s%n", s.ok() ? "✔" : "✘", s.name(), s.detail());
      }
    } else {
      out.printf(
          "[%5.1fs] heights %s, leaders %s%n",
          elapsed(),
          runningPeers().stream().map(p -> Long.toString(watch.height(p))).toList(),
          leaderNames());
    }
    out.flush();
  }

  private void summary(long fromBlock, long toBlock, double failover, double catchUpRate) {
    List<Long> spread = watch.spreadMillis(fromBlock, toBlock);
    out.println();
    out.println("summary");
    out.printf("  blocks committed:           %d%n", watch.maxHeight());
    if (!spread.isEmpty()) {
      out.printf(
          "  time to reach every peer:   p50 %d ms, p99 %d ms over %d blocks from block %d%n"
              + "                              (from /status polls, one round every %d ms:"
              + " the figures are that coarse)%n",
          spread.get(spread.size() / 2),
          spread.get(Math.min(spread.size() - 1, (int) Math.ceil(spread.size() * 0.99) - 1)),
          spread.size(),
          fromBlock,
          polls == 0 ? 0 : pollNanos / polls / 1_000_000);
    }
    out.printf(
        Locale.ROOT,
        "  failover (kill → new leader pulling): %s%n",
        Double.isNaN(failover) ? "not measured" : String.format(Locale.ROOT, "%.1f s", failover));
    out.printf(Locale.ROOT, "  catch-up of the late peer:  %.0f blocks/s%n", catchUpRate);
    long okSteps = steps.stream().filter(Step::ok).count();
    out.printf("  steps reached:              %d of %d%n", okSteps, steps.size());
    out.flush();
  }

  private double elapsed() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void say(String format, Object... args) {
    out.printf(Locale.ROOT, "[%5.1fs] " + format + "%n", prepend(elapsed(), args));
    out.flush();
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
