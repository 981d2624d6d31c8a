package org.ledgergossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;

/**
 * Whole nodes over the {@code netty} transport (loaded by name) with real mutual TLS on 127.0.0.1,
 * in real time with short timers, the {@code file} ledger and the {@code dynamic} election: one
 * leader pulls and every peer commits every block in order; the leader's process stops and another
 * peer takes over with nothing lost. Waits are bounded with Awaitility; nothing asserts speed.
 */
@Tag("netty")
class NodesOverNettyTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final GossipConfig CONFIG =
      GossipConfig.builder()
          .useLeaderElection(true)
          .orgLeader(false)
          .aliveTimeInterval(Duration.ofMillis(200))
          .aliveExpirationTimeout(Duration.ofSeconds(1))
          .reconnectInterval(Duration.ofMillis(500))
          .pullInterval(Duration.ofMillis(500))
          .digestWaitTime(Duration.ofMillis(100))
          .requestWaitTime(Duration.ofMillis(150))
          .responseWaitTime(Duration.ofMillis(200))
          .publishStateInfoInterval(Duration.ofMillis(200))
          .requestStateInfoInterval(Duration.ofMillis(500))
          .stateCheckInterval(Duration.ofMillis(500))
          .stateResponseTimeout(Duration.ofSeconds(1))
          .electionStartupGracePeriod(Duration.ofSeconds(1))
          .electionMembershipSampleInterval(Duration.ofMillis(200))
          .electionLeaderAliveThreshold(Duration.ofSeconds(1))
          .electionLeaderElectionDuration(Duration.ofMillis(500))
          .build();

  @TempDir Path dir;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private final class Peer {
    final GossipNode node;
    final List<Long> committed = new CopyOnWriteArrayList<>();

    Peer(CryptoLayout crypto, int index, FakeOrderer orderer, List<Endpoint> bootstrap)
        throws Exception {
      node =
          GossipNode.builder()
              .config(CONFIG.toBuilder().bootstrap(bootstrap).build())
              .msp("x509", crypto.mspOptions(1, index, Clock.system()))
              .transport("netty", Map.of())
              .listen(Endpoint.parse("127.0.0.1:0"))
              .ledgerDirectory(dir.resolve("peer" + index))
              .blockSource(orderer.source("peer" + index))
              .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
              .channel(NodeFixture.CHANNEL, Set.of(crypto.mspId(1)))
              .seed(index)
              .build();
      toClose.add(node);
      Runnable unused =
          node.addListener(
              new NodeListener() {
                @Override
                public void onCommit(String channel, Block block) {
                  committed.add(block.number());
                }
              });
      node.start();
    }

    boolean leads() {
      return node.isRunning() && node.isLeader(NodeFixture.CHANNEL);
    }
  }

  @Test
  void oneLeaderPullsOverNettyAndAfterItStopsAnotherTakesOverWithNothingLost() throws Exception {
    CryptoLayout crypto =
        Cryptogen.generate(
            dir.resolve("crypto"), Cryptogen.Spec.builder().orgs(1).peersPerOrg(3).build());
    Msp ordererMsp =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    crypto.ordererDir(),
                    crypto.trustedOrgs(),
                    Clock.system()));
    toClose.add(ordererMsp);
    Scheduler ordererThread = Scheduler.system("fake-orderer");
    toClose.add(ordererThread);
    FakeOrderer orderer = new FakeOrderer(NodeFixture.CHANNEL, ordererMsp, ordererThread);
    List<Peer> peers = new ArrayList<>();
    peers.add(new Peer(crypto, 0, orderer, List.of()));
    Endpoint first = peers.get(0).node.endpoint();
    peers.add(new Peer(crypto, 1, orderer, List.of(first)));
    peers.add(new Peer(crypto, 2, orderer, List.of(first)));
    orderer.cut(30);

    await()
        .atMost(WAIT)
        .until(
            () ->
                peers.stream().allMatch(p -> p.node.height(NodeFixture.CHANNEL) >= 30)
                    && peers.stream().filter(Peer::leads).count() == 1);
    Peer leader = peers.stream().filter(Peer::leads).findFirst().orElseThrow();
    for (Peer p : peers) {
      assertThat(p.committed).isEqualTo(LongStream.range(0, 30).boxed().toList());
    }

    leader.node.close();
    List<Peer> rest = peers.stream().filter(p -> p != leader).toList();
    orderer.cut(30);

    await()
        .atMost(WAIT)
        .until(
            () ->
                rest.stream().allMatch(p -> p.node.height(NodeFixture.CHANNEL) >= 60)
                    && rest.stream().filter(Peer::leads).count() == 1);
    for (Peer p : rest) {
      assertThat(p.committed).isEqualTo(LongStream.range(0, 60).boxed().toList());
    }
  }
}
