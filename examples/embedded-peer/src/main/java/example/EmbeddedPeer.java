package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.node.NodeListener;
import org.ledgergossip.orderer.OrdererEmulator;
import org.ledgergossip.orderer.SyntheticLoad;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;

/**
 * Two peers of one organisation embedded in an application, over mutual TLS on 127.0.0.1: peer 0
 * is the organisation's leader and pulls blocks from an ordering service (here an emulator in the
 * same process); peer 1 receives them by gossip. Each prints the blocks it commits. Exits 0 when
 * peer 1 has committed at least 10 blocks within the time given (seconds, default 5), else 1.
 */
public final class EmbeddedPeer {

  private EmbeddedPeer() {}

  public static void main(String[] args) throws Exception {
    Duration runFor = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
    Path dir = Files.createTempDirectory("embedded-peer");
    CryptoLayout crypto =
        Cryptogen.generate(
            dir.resolve("crypto"), Cryptogen.Spec.builder().orgs(1).peersPerOrg(2).build());

    // The ordering service: 10 blocks a second of 1 KiB on "mychannel".
    MspOptions ordererIdentity =
        new MspOptions(
            CryptoLayout.ORDERER_MSP_ID, crypto.ordererDir(), crypto.trustedOrgs(), Clock.system());
    try (Msp ordererMsp = new X509MspProvider().create(ordererIdentity);
        Scheduler ordererThread = Scheduler.system("orderer");
        OrdererEmulator orderer =
            OrdererEmulator.builder().msp(ordererMsp).scheduler(ordererThread).name("demo").build()) {
      orderer.createChannel("mychannel");
      var unused = orderer.startSynthetic("mychannel", SyntheticLoad.rate(10, 1024));

      // tag::embed[]
      GossipNode leader =
          GossipNode.builder()
              .config(GossipConfig.builder().useLeaderElection(false).orgLeader(true).build())
              .msp("x509", crypto.mspOptions(1, 0, Clock.system()))
              .listen(Endpoint.parse("127.0.0.1:0"))
              .ledgerDirectory(dir.resolve("peer0"))
              .blockSource("emulator", List.of(Endpoint.parse("127.0.0.1:7050")),
                  Map.of("emulator.name", "demo"))
              .channel("mychannel", Set.of("Org1MSP"))
              .build();
      leader.addListener(
          new NodeListener() {
            @Override
            public void onCommit(String channel, Block block) {
              System.out.println("peer0 committed block " + block.number() + " of " + channel);
            }
          });
      leader.start();
      // end::embed[]

      CountDownLatch tenBlocks = new CountDownLatch(10);
      GossipNode follower =
          GossipNode.builder()
              .config(
                  GossipConfig.builder()
                      .useLeaderElection(false)
                      .orgLeader(false)
                      .bootstrap(List.of(leader.endpoint()))
                      .build())
              .msp("x509", crypto.mspOptions(1, 1, Clock.system()))
              .listen(Endpoint.parse("127.0.0.1:0"))
              .ledgerDirectory(dir.resolve("peer1"))
              .channel("mychannel", Set.of("Org1MSP"))
              .build();
      follower.addListener(
          new NodeListener() {
            @Override
            public void onCommit(String channel, Block block) {
              System.out.println("peer1 committed block " + block.number() + " by gossip");
              tenBlocks.countDown();
            }
          });
      follower.start();

      boolean ok = tenBlocks.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
      System.out.printf(
          "heights after %s: peer0 %d, peer1 %d%n",
          runFor, leader.height("mychannel"), follower.height("mychannel"));
      follower.close();
      leader.close();
      if (!ok) {
        System.err.println("peer1 did not commit 10 blocks in " + runFor);
        System.exit(1);
      }
    }
  }
}
