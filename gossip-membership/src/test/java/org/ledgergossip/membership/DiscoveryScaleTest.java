package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Member;
import org.ledgergossip.membership.DiscoveryFixture.Node;

/**
 * {@link Discovery} with 100 peers bootstrapping from one, in virtual time: they converge, then one
 * is killed and every other marks it dead. The virtual duration, the real one and the CPU time of
 * the test thread (which runs every peer) are printed for each phase.
 */
class DiscoveryScaleTest {

  private static final int PEERS = 100;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void aHundredPeersConvergeAndAllMarkAKilledOneDead() throws Exception {
    net = new DiscoveryFixture(dir, PEERS);
    net.network.faults().delay(Duration.ofMillis(5), Duration.ofMillis(50));
    long setupStart = System.nanoTime();
    List<Node> nodes = new ArrayList<>();
    nodes.add(net.peer(0, List.of()));
    for (int i = 1; i < PEERS; i++) {
      nodes.add(net.peer(i, List.of(nodes.get(0).endpoint)));
    }
    System.out.println(
        PEERS + " peers set up in " + Duration.ofNanos(System.nanoTime() - setupStart) + " real");

    boolean converged =
        phase(
            "converged (every peer sees " + (PEERS - 1) + " alive)",
            Duration.ofSeconds(10),
            () -> nodes.stream().allMatch(n -> n.view().alive().size() == PEERS - 1));
    assertThat(converged).as("every peer sees 99 alive within 10 s (virtual)").isTrue();
    assertThat(nodes).allSatisfy(n -> assertThat(n.view().dead()).isEmpty());

    Node victim = nodes.get(PEERS / 2);
    net.kill(victim);
    List<Node> others = nodes.stream().filter(n -> n != victim).toList();
    Duration limit = DiscoveryFixture.EXPIRATION.plus(DiscoveryFixture.CHECK).plusMillis(100);
    boolean allDead =
        phase(
            "marked the killed peer dead (all " + others.size() + " others)",
            limit,
            () ->
                others.stream()
                    .allMatch(
                        n -> n.view().dead().stream().anyMatch(m -> m.pkiId().equals(victim.id))));
    assertThat(allDead).as("dead everywhere within %s (virtual) of the kill", limit).isTrue();
    assertThat(others)
        .allSatisfy(
            n -> {
              assertThat(n.view().dead()).extracting(Member::pkiId).containsExactly(victim.id);
              assertThat(n.view().alive()).hasSize(PEERS - 2);
            });
  }

  /**
   * Advances virtual time in 10 ms steps (the check copies 100 views, so not after every task)
   * until {@code done} or {@code limit}; prints the virtual, real and CPU durations.
   */
  private boolean phase(String what, Duration limit, BooleanSupplier done) {
    Instant start = net.time.now();
    long realStart = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    boolean reached = done.getAsBoolean();
    while (!reached && Duration.between(start, net.time.now()).compareTo(limit) < 0) {
      net.time.advanceBy(Duration.ofMillis(10));
      reached = done.getAsBoolean();
    }
    System.out.println(
        PEERS
            + " peers "
            + (reached ? "" : "NOT ")
            + what
            + " after "
            + Duration.between(start, net.time.now())
            + " virtual, "
            + Duration.ofNanos(System.nanoTime() - realStart)
            + " real, "
            + Duration.ofNanos(THREADS.getCurrentThreadCpuTime() - cpuStart)
            + " CPU of the test thread");
    return reached;
  }
}
