package org.ledgergossip.tck.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.tck.network.TckNetwork.Peer;

/**
 * A plugin proven inside a whole network rather than alone: {@link GossipNode}s of two
 * organisations on the in-memory network in virtual time, an ordering-service emulator, and the
 * plugin under test swapped into every node by {@link #configure}. Extend it:
 *
 * <pre>{@code
 * class SqliteLedgerNetworkTest extends NetworkContract {
 *   protected void configure(GossipNode.Builder node, TckNetwork.Peer peer) {
 *     node.ledger("sqlite", Map.of());
 *   }
 * }
 * }</pre>
 *
 * <p>The rules: membership converges across the organisations; every peer commits every block
 * exactly once and in order; a peer that was down while {@link #blocks()} blocks were cut, and a
 * brand-new peer, both catch up; with a dynamic election (optional: {@link #election()}), each
 * organisation has exactly one leader, and when it dies another takes over with no block lost.
 * Bounds are in virtual time and generous (a minute), so a rule fails on wrong behaviour, not on a
 * slow machine.
 */
public abstract class NetworkContract {

  private static final Duration LIMIT = Duration.ofSeconds(60);

  /** The folder of the running rule's network. */
  @TempDir protected Path dir;

  /**
   * Swaps the plugin under test into a node's builder (for example {@code node.ledger("sqlite",
   * props)} or {@code node.election("mine")}); called once per node, before it is built.
   */
  protected abstract void configure(GossipNode.Builder node, Peer peer);

  /** Whether the election rules apply (the plugin under test leaves the election dynamic). */
  protected boolean election() {
    return true;
  }

  /** Peers per organisation (two organisations); 4 unless overridden, at least 3. */
  protected int peersPerOrg() {
    return 4;
  }

  /** Blocks cut in each rule; 60 unless overridden. */
  protected int blocks() {
    return 60;
  }

  /** Every node's settings: short timers (alive 1 s, election 2 s / 1 s), dynamic election. */
  protected GossipConfig config() {
    return GossipConfig.builder()
        .useLeaderElection(true)
        .orgLeader(false)
        .aliveTimeInterval(Duration.ofSeconds(1))
        .aliveExpirationTimeout(Duration.ofSeconds(5))
        .reconnectInterval(Duration.ofSeconds(2))
        .pullInterval(Duration.ofSeconds(2))
        .pullPeerNum(3)
        .propagatePeerNum(3)
        .publishStateInfoInterval(Duration.ofSeconds(1))
        .requestStateInfoInterval(Duration.ofSeconds(1))
        .maxPropagationBurstSize(10)
        .maxPropagationBurstLatency(Duration.ofMillis(10))
        .stateCheckInterval(Duration.ofSeconds(1))
        .stateResponseTimeout(Duration.ofSeconds(1))
        .stateBatchSize(10)
        .stateBlockBufferSize(40)
        .electionStartupGracePeriod(Duration.ofSeconds(3))
        .electionMembershipSampleInterval(Duration.ofMillis(500))
        .electionLeaderAliveThreshold(Duration.ofSeconds(2))
        .electionLeaderElectionDuration(Duration.ofSeconds(1))
        .build();
  }

  private TckNetwork network() throws Exception {
    return new TckNetwork(dir, 2, peersPerOrg(), config(), this::configure);
  }

  private List<Peer> startAll(TckNetwork net) throws Exception {
    List<Peer> peers = new ArrayList<>();
    for (int org = 1; org <= 2; org++) {
      for (int i = 0; i < peersPerOrg(); i++) {
        peers.add(net.start(org, i));
      }
    }
    return peers;
  }

  private static boolean allAt(List<Peer> peers, long height) {
    return peers.stream().allMatch(p -> p.height() >= height);
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  /** Every peer sees every other one alive, across both organisations. */
  @Test
  public void required_membershipConvergesAcrossOrganisations() throws Exception {
    try (TckNetwork net = network()) {
      List<Peer> peers = startAll(net);
      int others = peers.size() - 1;
      assertThat(
              net.runUntil(
                  () -> peers.stream().allMatch(p -> p.node().alivePeers().size() == others),
                  LIMIT))
          .as("every peer sees the %d others alive", others)
          .isTrue();
    }
  }

  /** Every block reaches every peer, committed exactly once and in order. */
  @Test
  public void required_everyPeerCommitsEveryBlockExactlyOnceInOrder() throws Exception {
    try (TckNetwork net = network()) {
      List<Peer> peers = startAll(net);
      net.order(blocks());
      long height = net.ordererHeight();
      assertThat(net.runUntil(() -> allAt(peers, height), LIMIT))
          .as("every peer reaches the orderer's height %d", height)
          .isTrue();
      for (Peer p : peers) {
        assertThat(p.committed).as("blocks committed by " + p).isEqualTo(range(0, height));
      }
    }
  }

  /** A peer down while blocks were cut, and a brand-new peer, both catch up. */
  @Test
  public void required_restartedAndNewPeersCatchUp() throws Exception {
    try (TckNetwork net = network()) {
      List<Peer> peers = new ArrayList<>();
      for (int org = 1; org <= 2; org++) {
        for (int i = 0; i < peersPerOrg() - 1; i++) {
          peers.add(net.start(org, i));
        }
      }
      net.order(10);
      assertThat(net.runUntil(() -> allAt(peers, net.ordererHeight()), LIMIT)).isTrue();
      Peer victim = peers.get(peers.size() - 1);
      long before = victim.height();
      net.kill(victim);
      net.order(blocks());
      long height = net.ordererHeight();

      Peer back = net.start(victim.org, victim.index, 2);
      Peer fresh = net.start(1, peersPerOrg() - 1);

      assertThat(net.runUntil(() -> back.height() >= height && fresh.height() >= height, LIMIT))
          .as("the restarted and the new peer reach %d", height)
          .isTrue();
      assertThat(back.committed).isEqualTo(range(before, height));
      assertThat(fresh.committed).isEqualTo(range(0, height));
    }
  }

  /** Exactly one leader per organisation; when one dies another takes over, nothing lost. */
  @Test
  public void optional_oneLeaderPerOrganisationAndFailover() throws Exception {
    assumeTrue(election(), "the plugin under test does not leave the election dynamic");
    try (TckNetwork net = network()) {
      List<Peer> peers = startAll(net);
      net.order(10);
      assertThat(
              net.runUntil(
                  () ->
                      allAt(peers, net.ordererHeight())
                          && leaders(peers, 1).size() == 1
                          && leaders(peers, 2).size() == 1,
                  LIMIT))
          .as("one leader per organisation and every block everywhere")
          .isTrue();
      Peer leader = leaders(peers, 1).get(0);
      net.kill(leader);
      List<Peer> rest = peers.stream().filter(p -> p != leader).toList();
      net.order(blocks());
      long height = net.ordererHeight();

      assertThat(net.runUntil(() -> allAt(rest, height) && leaders(rest, 1).size() == 1, LIMIT))
          .as("a new leader of org 1 and every block everywhere")
          .isTrue();
      net.runFor(config().electionLeaderAliveThreshold().multipliedBy(3));
      assertThat(leaders(rest, 1)).as("still one leader of org 1").hasSize(1);
      assertThat(leaders(rest, 2)).as("still one leader of org 2").hasSize(1);
      for (Peer p : rest) {
        assertThat(p.committed).as("blocks committed by " + p).isEqualTo(range(0, height));
      }
    }
  }

  private static List<Peer> leaders(List<Peer> peers, int org) {
    return peers.stream().filter(p -> p.org == org && p.leads()).toList();
  }
}
