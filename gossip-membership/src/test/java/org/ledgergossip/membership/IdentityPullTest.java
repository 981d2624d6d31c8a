package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.hyperledger.fabric.protos.gossip.DataDigest;
import org.hyperledger.fabric.protos.gossip.DataUpdate;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.PeerIdentity;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.DiscoveryFixture.Node;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;

/**
 * The identity pull seen from the wire: a raw peer (comm only) plays the remote side of a round
 * with a peer running discovery, and answers its request with good and bad identity messages.
 */
class IdentityPullTest {

  @TempDir Path dir;

  private DiscoveryFixture net;

  @AfterEach
  void close() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void aPulledUpdateKeepsTheValidIdentitiesAndRefusesEachBadOneWithItsReason() throws Exception {
    net = new DiscoveryFixture(dir, 4);
    Node target = net.peer(0, List.of());
    Node remote = net.raw(1);
    Msp good = new X509MspProvider().create(net.layout.mspOptions(1, 2, net.time.clock()));
    Msp other = new X509MspProvider().create(net.layout.mspOptions(1, 3, net.time.clock()));
    Instant now = net.time.now();
    IssuedIdentity foreign =
        Cryptogen.foreignIdentity(
            "Org1MSP", "intruder", now.minusSeconds(60), now.plusSeconds(600));

    CompletableFuture<?> connected = remote.comm.connect(target.endpoint);
    net.time.runUntilIdle();
    assertThat(connected).isCompleted();
    // Announce the remote as alive, so that the target's rounds pick it.
    remote.comm.send(remote.codec.encode(alive(remote)), target.id);
    net.time.runUntilIdle();
    assertThat(target.view().isAlive(remote.id)).isTrue();

    ReceivedMessage hello = await(remote, ContentCase.HELLO);
    assertThat(hello.message().getHello().getMsgType()).isEqualTo(PullMsgType.IDENTITY_MSG);
    PkiId forgedId = other.localIdentity().pkiId();
    PkiId foreignId = foreign.pkiId();
    PkiId mismatchId = PkiId.fromHex("ab".repeat(32));
    Envelope valid =
        identityMessage(
            good.localIdentity().pkiId(), good.localIdentity().serialized(), good::sign);
    Envelope forged =
        identityMessage(forgedId, other.localIdentity().serialized(), remote.msp::sign);
    Envelope untrusted = identityMessage(foreignId, foreign.serialized(), foreign::sign);
    Envelope mismatch = identityMessage(mismatchId, good.localIdentity().serialized(), good::sign);
    List<PkiId> offered = List.of(good.localIdentity().pkiId(), forgedId, foreignId, mismatchId);
    DataDigest.Builder digest =
        DataDigest.newBuilder()
            .setNonce(hello.message().getHello().getNonce())
            .setMsgType(PullMsgType.IDENTITY_MSG);
    offered.forEach(id -> digest.addDigests(ByteString.copyFrom(id.bytes().toByteArray())));
    remote.comm.send(
        remote.codec.encode(
            GossipMessage.newBuilder().setTag(GossipMessage.Tag.EMPTY).setDataDig(digest).build()),
        target.id);

    ReceivedMessage request = await(remote, ContentCase.DATA_REQ);
    assertThat(request.message().getDataReq().getDigestsCount()).isEqualTo(4);
    remote.comm.send(
        remote.codec.encode(
            GossipMessage.newBuilder()
                .setTag(GossipMessage.Tag.EMPTY)
                .setDataUpdate(
                    DataUpdate.newBuilder()
                        .setNonce(request.message().getDataReq().getNonce())
                        .setMsgType(PullMsgType.IDENTITY_MSG)
                        .addData(valid)
                        .addData(forged)
                        .addData(untrusted)
                        .addData(mismatch))
                .build()),
        target.id);
    net.time.runUntilIdle();

    assertThat(target.discovery().identities().contains(good.localIdentity().pkiId())).isTrue();
    assertThat(target.discovery().identities().contains(forgedId)).isFalse();
    assertThat(target.discovery().identities().contains(foreignId)).isFalse();
    assertThat(target.count(IdentityPull.REJECTED_COUNTER, "reason", "bad_signature"))
        .isEqualTo(1.0);
    assertThat(target.count(IdentityPull.REJECTED_COUNTER, "reason", "invalid_identity"))
        .isEqualTo(1.0);
    assertThat(target.count(IdentityPull.REJECTED_COUNTER, "reason", "pki_id_mismatch"))
        .isEqualTo(1.0);
    good.close();
    other.close();
  }

  @Test
  void aPeerAnswersAnIdentityHelloWithItsOwnSignedIdentity() throws Exception {
    net = new DiscoveryFixture(dir, 2);
    Node target = net.peer(0, List.of());
    Node remote = net.raw(1);
    CompletableFuture<?> connected = remote.comm.connect(target.endpoint);
    net.time.runUntilIdle();
    assertThat(connected).isCompleted();

    remote.comm.send(
        remote.codec.encode(
            GossipMessage.newBuilder()
                .setTag(GossipMessage.Tag.EMPTY)
                .setHello(
                    org.hyperledger.fabric.protos.gossip.GossipHello.newBuilder()
                        .setNonce(77)
                        .setMsgType(PullMsgType.IDENTITY_MSG))
                .build()),
        target.id);
    ReceivedMessage digest = await(remote, ContentCase.DATA_DIG);
    assertThat(digest.message().getDataDig().getNonce()).isEqualTo(77);
    assertThat(digest.message().getDataDig().getDigestsList())
        .contains(ByteString.copyFrom(target.id.bytes().toByteArray()));
  }

  private ReceivedMessage await(Node node, ContentCase kind) {
    Function<Node, Optional<ReceivedMessage>> find =
        n -> n.received.stream().filter(m -> m.contentCase() == kind).reduce((a, b) -> b);
    assertThat(net.time.runUntil(() -> find.apply(node).isPresent(), Duration.ofSeconds(5)))
        .as("%s received within 5 s", kind)
        .isTrue();
    return find.apply(node).orElseThrow();
  }

  private static Envelope alive(Node node) {
    return new AliveMessages(node.msp, new SimpleMeterRegistry())
        .sign(
            new AliveRecord(
                node.id,
                Optional.of(node.endpoint),
                Optional.of(node.endpoint),
                Bytes.EMPTY,
                new PeerTime(1, 1),
                Optional.of(node.msp.localIdentity().serialized())));
  }

  private static Envelope identityMessage(
      PkiId claimed, Bytes cert, Function<byte[], byte[]> signer) {
    ByteString payload =
        GossipMessage.newBuilder()
            .setTag(GossipMessage.Tag.ORG_ONLY)
            .setPeerIdentity(
                PeerIdentity.newBuilder()
                    .setPkiId(ByteString.copyFrom(claimed.bytes().toByteArray()))
                    .setCert(ByteString.copyFrom(cert.toByteArray())))
            .build()
            .toByteString();
    return WireCodec.envelopeOf(payload, ByteString.copyFrom(signer.apply(payload.toByteArray())));
  }
}
