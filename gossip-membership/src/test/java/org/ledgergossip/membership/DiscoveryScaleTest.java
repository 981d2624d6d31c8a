package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.membership.DiscoveryFixture.Node;

/** {@link Discovery} with 100 peers bootstrapping from one, in virtual time. */
class DiscoveryScaleTest {

  private static final int PEERS = 100;

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void aHundredPeersConverge() throws Exception {
    net = new DiscoveryFixture(dir, PEERS);
    net.network.faults().delay(Duration.ofMillis(5), Duration.ofMillis(50));
    long realStart = System.nanoTime();
    List<Node> nodes = new ArrayList<>();
    nodes.add(net.peer(0, List.of()));
    for (int i = 1; i < PEERS; i++) {
      nodes.add(net.peer(i, List.of(nodes.get(0).endpoint)));
    }
    Instant start = net.time.now();
    Duration setup = Duration.ofNanos(System.nanoTime() - realStart);
    long runStart = System.nanoTime();

    // Checked every 10 ms of virtual time, not after every task: the check copies 100 views.
    Duration limit = Duration.ofSeconds(10);
    boolean converged = converged(nodes);
    while (!converged && Duration.between(start, net.time.now()).compareTo(limit) < 0) {
      net.time.advanceBy(Duration.ofMillis(10));
      converged = converged(nodes);
    }

    Duration virtual = Duration.between(start, net.time.now());
    Duration real = Duration.ofNanos(System.nanoTime() - runStart);
    System.out.println(
        PEERS
            + " peers converged: "
            + converged
            + " in "
            + virtual
            + " virtual, "
            + real
            + " real (peer set-up before that: "
            + setup
            + " real)");
    assertThat(converged).as("every peer sees 99 alive within 10 s (virtual)").isTrue();
    assertThat(nodes).allSatisfy(n -> assertThat(n.view().dead()).isEmpty());
  }

  private static boolean converged(List<Node> nodes) {
    return nodes.stream().allMatch(n -> n.view().alive().size() == PEERS - 1);
  }
}
