package org.ledgergossip.msp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.tck.MspContract;

/**
 * The {@code x509} MSP passes the MSP contract on cryptogen material: the MSP under test is peer0
 * of Org1MSP, 30 days after generation; the other peer is peer0 of Org2MSP; the peer to revoke is
 * peer1 of Org1MSP. Without users and orderer organisation: less to generate for every rule.
 */
class X509MspContractTest extends MspContract {

  @TempDir Path dir;

  private TestNetwork network;

  /** The network, generated on first use, with the clock 30 days after generation. */
  TestNetwork network() throws Exception {
    if (network == null) {
      network = TestNetwork.generate(dir, b -> b.users(0).orderer(false));
      network.advance(Duration.ofDays(30));
    }
    return network;
  }

  @AfterEach
  void closeNetwork() {
    if (network != null) {
      network.close();
    }
  }

  @Override
  protected Msp newMsp() throws Exception {
    return new X509MspProvider().create(network().layout.mspOptions(1, 0, network().clock()));
  }

  @Override
  protected Bytes otherPeerIdentity() throws Exception {
    return otherPeer().localIdentity().serialized();
  }

  @Override
  protected byte[] signAsOtherPeer(byte[] message) throws Exception {
    return otherPeer().sign(message);
  }

  private Msp otherPeer;

  private Msp otherPeer() throws Exception {
    if (otherPeer == null) {
      otherPeer = network().msp(2, 0);
    }
    return otherPeer;
  }

  @Override
  protected Bytes foreignCaIdentity() throws Exception {
    return Cryptogen.foreignIdentity(
            "Org1MSP",
            "peer9.org1.example.com",
            TestNetwork.GENERATED,
            TestNetwork.GENERATED.plus(Duration.ofDays(365)))
        .serialized();
  }

  @Override
  protected Bytes expiredIdentity() throws Exception {
    return network()
        .issue(
            1,
            "old.org1.example.com",
            TestNetwork.GENERATED,
            TestNetwork.GENERATED.plus(Duration.ofDays(1)))
        .serialized();
  }

  @Override
  protected Bytes identityToRevoke() throws Exception {
    return network().msp(1, 1).localIdentity().serialized();
  }

  @Override
  protected void revoke(Bytes identity) throws Exception {
    network().revoke(1, identity);
  }

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(Capability.TLS_CREDENTIALS);
  }
}
