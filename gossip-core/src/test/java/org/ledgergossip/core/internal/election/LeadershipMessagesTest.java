package org.ledgergossip.core.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.SignatureVerifier;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.election.LeadershipMessage;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

class LeadershipMessagesTest {

  private static final String CHANNEL = "mychannel";
  private static final VirtualScheduler TIME = new VirtualScheduler();

  @TempDir static Path dir;
  private static Msp a;
  private static Msp b;

  private final WireCodec codec = new WireCodec(1 << 20, new SimpleMeterRegistry());

  @BeforeAll
  static void generate() throws Exception {
    CryptoLayout layout =
        Cryptogen.generate(
            dir, Cryptogen.Spec.builder().orgs(1).peersPerOrg(2).clock(TIME.clock()).build());
    a = new X509MspProvider().create(layout.mspOptions(1, 0, TIME.clock()));
    b = new X509MspProvider().create(layout.mspOptions(1, 1, TIME.clock()));
  }

  @AfterAll
  static void close() {
    a.close();
    b.close();
  }

  private ReceivedEnvelope signed(boolean declaration) throws Exception {
    PkiId self = a.localIdentity().pkiId();
    Envelope e = LeadershipMessages.sign(CHANNEL, self, new PeerTime(7, 3), declaration, 42, a);
    return codec.decode(codec.encode(e));
  }

  @Test
  void signedDeclarationReadsBackWithItsStampAndVerifiesAgainstItsSigner() throws Exception {
    ReceivedEnvelope received = signed(true);

    assertThat(received.message().getTag()).isEqualTo(Tag.CHAN_AND_ORG);
    assertThat(LeadershipMessages.read(received.message(), CHANNEL))
        .contains(new LeadershipMessage(a.localIdentity().pkiId(), new PeerTime(7, 3), true));
    assertThat(SignatureVerifier.verify(received, a.localIdentity())).isTrue();
    assertThat(SignatureVerifier.verify(received, b.localIdentity())).isFalse();
  }

  @Test
  void proposalIsNotADeclaration() throws Exception {
    assertThat(LeadershipMessages.read(signed(false).message(), CHANNEL))
        .hasValueSatisfying(m -> assertThat(m.declaration()).isFalse());
  }

  @Test
  void messageOfAnotherChannelIsNotRead() throws Exception {
    assertThat(LeadershipMessages.read(signed(true).message(), "otherchannel")).isEmpty();
  }

  @Test
  void messageWithAWrongTagOrNoPkiIdIsNotRead() throws Exception {
    GossipMessage good = signed(true).message();

    assertThat(LeadershipMessages.read(good.toBuilder().setTag(Tag.EMPTY).build(), CHANNEL))
        .isEmpty();
    GossipMessage noId =
        good.toBuilder().setLeadershipMsg(good.getLeadershipMsg().toBuilder().clearPkiId()).build();
    assertThat(LeadershipMessages.read(noId, CHANNEL)).isEmpty();
    GossipMessage noStamp =
        good.toBuilder()
            .setLeadershipMsg(good.getLeadershipMsg().toBuilder().clearTimestamp())
            .build();
    assertThat(LeadershipMessages.read(noStamp, CHANNEL)).isEmpty();
  }
}
