package org.ledgergossip.peer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.peer.GossipCommand;
import org.ledgergossip.peer.ops.StatusReader;

/**
 * The real command line, as an operator uses it: {@code network init} of 2 organisations × 3 peers,
 * {@code network start} (every peer and the orderer a child JVM), every peer's {@code /status}
 * showing 5 alive and equal heights, {@code /metrics} as Prometheus text, the leader of org1 killed
 * with SIGKILL and another elected, the killed peer started again and caught up, and {@code network
 * stop} leaving no process behind (checked by pid). Real time, bounded waits.
 */
@Tag("process")
class NetworkCommandLineTest {

  private static final Duration WAIT = Duration.ofMinutes(2);

  @TempDir Path dir;

  private final OpsClient ops = new OpsClient();
  private final List<ProcessHandle> seen = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    run("network", "stop", "--dir", dir.toString());
    seen.forEach(ProcessHandle::destroyForcibly);
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GossipCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}

  private Map<String, StatusReader> statuses(List<NetworkLayout.Member> peers)
      throws InterruptedException {
    Map<String, StatusReader> out = new java.util.LinkedHashMap<>();
    for (NetworkLayout.Member p : peers) {
      Optional<StatusReader> s = ops.status(p.operations());
      s.ifPresent(r -> out.put(p.name(), r));
    }
    return out;
  }

  private static long height(StatusReader s) {
    return s.channel(NetworkLayout.DEFAULT_CHANNEL).orElseThrow().height();
  }

  private static boolean leads(StatusReader s) {
    return s.channel(NetworkLayout.DEFAULT_CHANNEL).orElseThrow().isLeader();
  }

  private long pid(String name) throws Exception {
    return Long.parseLong(
        Files.readString(dir.resolve("run").resolve(name + ".pid"), StandardCharsets.UTF_8).trim());
  }

  @Test
  void aNetworkStartsElectsFailsOverCatchesUpAndStopsWithNothingLeft() throws Exception {
    int base = 30_000 + ThreadLocalRandom.current().nextInt(20_000);
    Result init =
        run(
            "network",
            "init",
            "--dir",
            dir.toString(),
            "--orgs",
            "2",
            "--peers",
            "3",
            "--base-port",
            Integer.toString(base));
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("peer2.org2.example.com");

    Result start = run("network", "start", "--dir", dir.toString());
    assertThat(start.code()).as(start.err() + start.out()).isZero();
    List<NetworkLayout.Member> all = new NetworkLayout(dir).processes();
    List<NetworkLayout.Member> peers = all.subList(1, all.size());
    for (NetworkLayout.Member m : all) {
      ProcessHandle.of(pid(m.name())).ifPresent(seen::add);
    }

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Map<String, StatusReader> s = statuses(peers);
              return s.size() == 6
                  && s.values().stream().allMatch(r -> r.alive().size() == 5)
                  && s.values().stream().mapToLong(NetworkCommandLineTest::height).min().orElse(0)
                      >= 5
                  && s.values().stream()
                          .mapToLong(NetworkCommandLineTest::height)
                          .distinct()
                          .count()
                      == 1;
            });

    String metrics = ops.get(peers.get(0).operations(), "/metrics").orElseThrow();
    for (String line : metrics.lines().toList()) {
      if (!line.isBlank() && !line.startsWith("#")) {
        assertThat(line)
            .as("a Prometheus sample line")
            .matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+");
      }
    }
    assertThat(metrics).contains("gossip_state_height{channel=\"mychannel\"}");

    String leader =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    statuses(peers).entrySet().stream()
                        .filter(e -> e.getKey().contains(".org1.") && leads(e.getValue()))
                        .map(Map.Entry::getKey)
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    ProcessHandle victim = ProcessHandle.of(pid(leader)).orElseThrow();
    victim.destroyForcibly();
    victim.onExit().join();

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                statuses(peers).entrySet().stream()
                    .anyMatch(
                        e ->
                            e.getKey().contains(".org1.")
                                && !e.getKey().equals(leader)
                                && leads(e.getValue())));

    Result restart = run("network", "start", "--dir", dir.toString());
    assertThat(restart.code()).as(restart.err()).isZero();
    assertThat(restart.out()).contains(leader + " ").contains("already running");
    ProcessHandle.of(pid(leader)).ifPresent(seen::add);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Map<String, StatusReader> s = statuses(peers);
              long max =
                  s.values().stream().mapToLong(NetworkCommandLineTest::height).max().orElse(0);
              return s.size() == 6
                  && s.values().stream().allMatch(r -> r.alive().size() == 5)
                  && height(s.get(leader)) >= max - 2;
            });

    List<Long> pids = new ArrayList<>();
    for (NetworkLayout.Member m : all) {
      pids.add(pid(m.name()));
    }
    Result stop = run("network", "stop", "--dir", dir.toString());
    assertThat(stop.code()).isZero();
    for (long p : pids) {
      assertThat(ProcessHandle.of(p).filter(ProcessHandle::isAlive)).as("pid " + p).isEmpty();
    }
  }
}
