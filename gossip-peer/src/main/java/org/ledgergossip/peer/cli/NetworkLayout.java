package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.peer.config.CoreYaml;
import org.ledgergossip.peer.config.OrdererSettings;
import org.ledgergossip.peer.config.OrdererYaml;
import org.ledgergossip.peer.config.PeerSettings;

/**
 * The files of a network on one machine, as {@code gossip network init} writes them and {@code
 * network start}, {@code stop} and {@code demo} read them: {@code crypto/} (Cryptogen), {@code
 * orderer.yaml}, {@code peers/<peer id>/core.yaml} with the ledger in {@code peers/<peer id>/data},
 * and {@code run/} for pid and log files. Ports are free loopback ports from the base port up,
 * three per peer (gossip, operations) and one for the orderer.
 */
final class NetworkLayout {

  /** The channel joined when none is named. */
  static final String DEFAULT_CHANNEL = "mychannel";

  /** One process of the network: the orderer or a peer. */
  record Member(String name, String kind, Path config, Endpoint endpoint, Endpoint operations) {}

  final Path dir;

  NetworkLayout(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path orderer() {
    return dir.resolve("orderer.yaml");
  }

  Path peers() {
    return dir.resolve("peers");
  }

  Path run() {
    return dir.resolve("run");
  }

  /**
   * The gossip settings of every peer of an initialised network: faster than Fabric's, on purpose.
   */
  static GossipConfig gossip() {
    return GossipConfig.builder()
        .useLeaderElection(true)
        .orgLeader(false)
        .aliveTimeInterval(Duration.ofSeconds(1))
        .aliveExpirationTimeout(Duration.ofSeconds(5))
        .reconnectInterval(Duration.ofSeconds(2))
        .pullInterval(Duration.ofSeconds(2))
        .publishStateInfoInterval(Duration.ofSeconds(1))
        .requestStateInfoInterval(Duration.ofSeconds(1))
        .stateCheckInterval(Duration.ofSeconds(1))
        .electionStartupGracePeriod(Duration.ofSeconds(3))
        .electionMembershipSampleInterval(Duration.ofMillis(500))
        .electionLeaderAliveThreshold(Duration.ofSeconds(4))
        .electionLeaderElectionDuration(Duration.ofSeconds(2))
        .build();
  }

  /**
   * Writes a network of {@code orgs} organisations of {@code peers} peers each, joined to {@code
   * channels}.
   *
   * @return the processes, orderer first
   */
  List<Member> init(
      int orgs, int peers, List<String> channels, int basePort, List<String> sans, double rate)
      throws IOException {
    if (Files.exists(orderer())) {
      throw new IOException(dir + " already holds a network (" + orderer() + ")");
    }
    Files.createDirectories(dir);
    CryptoLayout crypto =
        Cryptogen.generate(
            dir.resolve("crypto"),
            Cryptogen.Spec.builder().orgs(orgs).peersPerOrg(peers).extraSans(sans).build());
    Ports ports = new Ports(basePort);
    List<Member> out = new ArrayList<>();
    Endpoint ordererEndpoint = new Endpoint("127.0.0.1", ports.next());
    OrdererSettings orderer =
        OrdererSettings.builder(crypto.ordererDir().resolve("msp"))
            .listenAddress("127.0.0.1")
            .listenPort(ordererEndpoint.port())
            .localMspId(CryptoLayout.ORDERER_MSP_ID)
            .fileLedgerLocation(dir.resolve("orderer-data"))
            .emulator(
                new OrdererSettings.Emulator(channels, Duration.ofMillis(500), 10, rate, 1024))
            .organizations(crypto.trustedOrgs())
            .build();
    OrdererYaml.write(orderer, orderer());
    out.add(new Member("orderer", "orderer", orderer(), ordererEndpoint, ordererEndpoint));
    Map<Integer, Endpoint> anchors = new LinkedHashMap<>();
    Map<String, Endpoint> gossipEndpoints = new LinkedHashMap<>();
    for (int org = 1; org <= orgs; org++) {
      for (int i = 0; i < peers; i++) {
        Endpoint e = new Endpoint("127.0.0.1", ports.next());
        gossipEndpoints.put(crypto.peerName(org, i), e);
        if (i == 0) {
          anchors.put(org, e);
        }
      }
    }
    for (int org = 1; org <= orgs; org++) {
      Map<String, List<Endpoint>> foreignAnchors = new LinkedHashMap<>();
      for (int other = 1; other <= orgs; other++) {
        if (other != org) {
          foreignAnchors.put(crypto.mspId(other), List.of(anchors.get(other)));
        }
      }
      for (int i = 0; i < peers; i++) {
        String id = crypto.peerName(org, i);
        Endpoint self = gossipEndpoints.get(id);
        Endpoint ops = new Endpoint("127.0.0.1", ports.next());
        GossipConfig.Builder g = gossip().toBuilder().externalEndpoint(self);
        if (i != 0) {
          g.bootstrap(List.of(anchors.get(org)));
        }
        Path peerDir = peers().resolve(id);
        PeerSettings s =
            PeerSettings.builder(id, self, crypto.mspId(org), crypto.peerDir(org, i).resolve("msp"))
                .fileSystemPath(peerDir.resolve("data"))
                .channels(channels)
                .orderers(
                    new PeerSettings.Orderers(
                        List.of(ordererEndpoint),
                        java.util.Optional.empty(),
                        CryptoLayout.ORDERER_MSP_ID))
                .organizations(crypto.trustedOrgs())
                .anchorPeers(foreignAnchors)
                .operations(
                    new PeerSettings.Operations(ops, PeerSettings.Operations.defaults().tls()))
                .gossip(g.build())
                .build();
        Path config = peerDir.resolve("core.yaml");
        CoreYaml.write(s, config);
        out.add(new Member(id, "peer", config, self, ops));
      }
    }
    Files.createDirectories(run());
    return out;
  }

  /** The processes of an initialised network, orderer first, peers by name. */
  List<Member> processes() throws IOException {
    if (!Files.exists(orderer())) {
      throw new IOException(dir + " holds no network: run gossip network init --dir " + dir);
    }
    List<Member> out = new ArrayList<>();
    OrdererSettings o = OrdererYaml.load(orderer(), Map.of()).settings();
    out.add(new Member("orderer", "orderer", orderer(), o.listenEndpoint(), o.listenEndpoint()));
    try (Stream<Path> dirs = Files.list(peers())) {
      for (Path d : dirs.sorted().toList()) {
        Path config = d.resolve("core.yaml");
        if (Files.exists(config)) {
          PeerSettings s = CoreYaml.load(config, Map.of()).settings();
          out.add(new Member(s.id(), "peer", config, s.address(), s.operations().listenAddress()));
        }
      }
    }
    return out;
  }

  /** Free loopback ports from a base up. */
  private static final class Ports {
    private int next;
    private final Set<Integer> taken = new HashSet<>();

    Ports(int base) {
      this.next = base;
    }

    int next() throws IOException {
      while (next < 65_536) {
        int p = next++;
        if (taken.add(p) && free(p)) {
          return p;
        }
      }
      throw new IOException("no free loopback port left above the base port");
    }

    private static boolean free(int port) {
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort() == port;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
