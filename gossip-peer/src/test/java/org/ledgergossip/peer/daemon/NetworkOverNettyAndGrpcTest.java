package org.ledgergossip.peer.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.node.NodeListener;
import org.ledgergossip.peer.config.OrdererSettings;
import org.ledgergossip.peer.config.PeerSettings;

/**
 * Two organisations of four peers each, every one a {@link PeerDaemon} over Netty with mutual TLS
 * on 127.0.0.1, and the ordering-service emulator as an {@link OrdererDaemon} served over gRPC with
 * mutual TLS, reached by the {@code deliver} block source: each organisation elects one leader,
 * which pulls; every peer commits every block exactly once and in order; a block source fed by the
 * wrong orderer MSP refuses everything. Real time with short timers, bounded waits.
 */
@Tag("netty")
class NetworkOverNettyAndGrpcTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CHANNEL = "mychannel";

  private static final GossipConfig GOSSIP =
      GossipConfig.builder()
          .useLeaderElection(true)
          .orgLeader(false)
          .aliveTimeInterval(Duration.ofMillis(250))
          .aliveExpirationTimeout(Duration.ofMillis(1500))
          .reconnectInterval(Duration.ofMillis(500))
          .pullInterval(Duration.ofMillis(500))
          .digestWaitTime(Duration.ofMillis(100))
          .requestWaitTime(Duration.ofMillis(150))
          .responseWaitTime(Duration.ofMillis(200))
          .publishStateInfoInterval(Duration.ofMillis(250))
          .requestStateInfoInterval(Duration.ofMillis(500))
          .stateCheckInterval(Duration.ofMillis(500))
          .stateResponseTimeout(Duration.ofSeconds(1))
          .electionStartupGracePeriod(Duration.ofSeconds(2))
          .electionMembershipSampleInterval(Duration.ofMillis(250))
          .electionLeaderAliveThreshold(Duration.ofSeconds(2))
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void twoOrganisationsOverNettyGetEveryBlockFromTheEmulatorOverGrpc() throws Exception {
    CryptoLayout crypto =
        Cryptogen.generate(
            dir.resolve("crypto"), Cryptogen.Spec.builder().orgs(2).peersPerOrg(4).build());
    OrdererSettings ordererSettings =
        OrdererSettings.builder(crypto.ordererDir().resolve("msp"))
            .listenAddress("127.0.0.1")
            .listenPort(0)
            .localMspId(CryptoLayout.ORDERER_MSP_ID)
            .fileLedgerLocation(dir.resolve("orderer"))
            .emulator(
                new OrdererSettings.Emulator(List.of(CHANNEL), Duration.ofMillis(200), 10, 20, 256))
            .organizations(crypto.trustedOrgs())
            .build();
    OrdererDaemon orderer = OrdererDaemon.start(ordererSettings, new SimpleMeterRegistry());
    toClose.add(orderer);

    Endpoint[][] addresses = new Endpoint[3][4];
    for (int org = 1; org <= 2; org++) {
      for (int i = 0; i < 4; i++) {
        addresses[org][i] = new Endpoint("127.0.0.1", freePort());
      }
    }
    List<PeerDaemon> peers = new ArrayList<>();
    List<List<Long>> committed = new ArrayList<>();
    for (int org = 1; org <= 2; org++) {
      for (int i = 0; i < 4; i++) {
        Endpoint self = addresses[org][i];
        int other = 3 - org;
        GossipConfig.Builder g = GOSSIP.toBuilder().externalEndpoint(self);
        if (i != 0) {
          g.bootstrap(List.of(addresses[org][0]));
        }
        PeerSettings s =
            PeerSettings.builder(
                    crypto.peerName(org, i),
                    self,
                    crypto.mspId(org),
                    crypto.peerDir(org, i).resolve("msp"))
                .fileSystemPath(dir.resolve("ledgers").resolve(crypto.peerName(org, i)))
                .channels(List.of(CHANNEL))
                .orderers(
                    new PeerSettings.Orderers(
                        List.of(orderer.endpoint()), java.util.Optional.empty()))
                .organizations(crypto.trustedOrgs())
                .anchorPeers(Map.of(crypto.mspId(other), List.of(addresses[other][0])))
                .gossip(g.build())
                .build();
        PeerDaemon p = PeerDaemon.start(s, new SimpleMeterRegistry());
        toClose.add(p);
        List<Long> mine = new CopyOnWriteArrayList<>();
        Runnable unused =
            p.node()
                .addListener(
                    new NodeListener() {
                      @Override
                      public void onCommit(String channel, Block block) {
                        mine.add(block.number());
                      }
                    });
        peers.add(p);
        committed.add(mine);
      }
    }

    await()
        .atMost(WAIT)
        .until(
            () ->
                peers.stream().allMatch(p -> p.node().alivePeers().size() == 7)
                    && peers.stream().allMatch(p -> p.node().height(CHANNEL) >= 40)
                    && leaders(peers, 1) == 1
                    && leaders(peers, 2) == 1);
    long common = peers.stream().mapToLong(p -> p.node().height(CHANNEL)).min().orElseThrow();
    for (int k = 0; k < peers.size(); k++) {
      List<Long> seen = List.copyOf(committed.get(k));
      assertThat(seen.subList(0, (int) common))
          .as("blocks of " + peers.get(k).settings().id())
          .isEqualTo(java.util.stream.LongStream.range(0, common).boxed().toList());
    }
    assertThat(
            peers.stream()
                .filter(p -> p.node().isLeader(CHANNEL))
                .mapToLong(p -> p.node().status(CHANNEL).blocks().get("orderer"))
                .sum())
        .as("the leaders pulled blocks over gRPC")
        .isPositive();
  }

  private static long leaders(List<PeerDaemon> peers, int org) {
    return peers.stream()
        .filter(p -> p.node().mspId().equals("Org" + org + "MSP") && p.node().isLeader(CHANNEL))
        .count();
  }
}
