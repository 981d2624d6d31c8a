package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.AliveMessage;
import org.hyperledger.fabric.protos.gossip.Empty;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Secret;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.AliveMessages.Accepted;
import org.ledgergossip.membership.AliveMessages.Reason;
import org.ledgergossip.membership.AliveMessages.Rejected;
import org.ledgergossip.membership.AliveMessages.Verdict;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** {@link AliveMessages} signing and verifying with Cryptogen-made MSPs, in virtual time. */
class AliveMessagesTest {

  @TempDir static Path dir;

  private static final VirtualScheduler time = new VirtualScheduler();
  private static CryptoLayout layout;
  private static Msp alice; // peer0.org1
  private static Msp bob; // peer1.org1
  private static Msp carol; // peer0.org2, the receiver

  private final WireCodec codec = new WireCodec(1 << 20, new SimpleMeterRegistry());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AliveMessages receiver = new AliveMessages(carol, meters);
  private final Map<PkiId, Identity> known = new HashMap<>();

  private Optional<Identity> lookup(PkiId id) {
    return Optional.ofNullable(known.get(id));
  }

  @BeforeAll
  static void msps() throws Exception {
    layout = Cryptogen.generate(dir, Cryptogen.Spec.builder().clock(time.clock()).build());
    alice = new X509MspProvider().create(layout.mspOptions(1, 0, time.clock()));
    bob = new X509MspProvider().create(layout.mspOptions(1, 1, time.clock()));
    carol = new X509MspProvider().create(layout.mspOptions(2, 0, time.clock()));
  }

  @AfterAll
  static void close() {
    alice.close();
    bob.close();
    carol.close();
  }

  private static AliveRecord recordOf(Msp msp, long seq, boolean withIdentity) {
    return new AliveRecord(
        msp.localIdentity().pkiId(),
        Optional.of(new Endpoint("ext." + msp.localIdentity().mspId(), 7051)),
        Optional.of(new Endpoint("int.local", 7051)),
        Bytes.copyOf(new byte[] {1, 2, 3}),
        new PeerTime(42, seq),
        withIdentity ? Optional.of(msp.localIdentity().serialized()) : Optional.empty());
  }

  private ReceivedEnvelope received(Envelope envelope) throws Exception {
    return codec.decode(codec.encode(envelope));
  }

  private Verdict verify(Envelope envelope) throws Exception {
    return receiver.verify(received(envelope), this::lookup);
  }

  private void assertRejected(Verdict verdict, Reason reason) {
    assertThat(verdict).isInstanceOf(Rejected.class);
    assertThat(((Rejected) verdict).reason()).isEqualTo(reason);
    assertThat(receiver.rejectedCount(reason)).isEqualTo(1.0);
    assertThat(meters.counter(AliveMessages.REJECTED_COUNTER, "reason", reason.metricTag()).count())
        .isEqualTo(1.0);
  }

  @Test
  void signedAliveRoundTripsWithInternalEndpointFromTheSecretEnvelope() throws Exception {
    AliveRecord sent = recordOf(alice, 7, false);
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());

    Envelope envelope = new AliveMessages(alice, new SimpleMeterRegistry()).sign(sent);
    GossipMessage payload = GossipMessage.parseFrom(envelope.getPayload());

    assertThat(payload.getTag()).isEqualTo(GossipMessage.Tag.EMPTY);
    assertThat(payload.getNonce()).isZero();
    assertThat(payload.getAliveMsg().getMembership().getEndpoint()).isEqualTo("ext.Org1MSP:7051");
    assertThat(envelope.getPayload().toStringUtf8())
        .as("the internal endpoint is only in the secret envelope")
        .doesNotContain("int.local");
    assertThat(Secret.parseFrom(envelope.getSecretEnvelope().getPayload()).getInternalEndpoint())
        .isEqualTo("int.local:7051");

    Verdict verdict = verify(envelope);
    assertThat(verdict).isInstanceOf(Accepted.class);
    assertThat(((Accepted) verdict).record()).isEqualTo(sent);
    assertThat(((Accepted) verdict).signer().pkiId()).isEqualTo(alice.localIdentity().pkiId());
  }

  @Test
  void aliveWithoutEndpointsHasEmptyEndpointAndNoSecretEnvelope() throws Exception {
    AliveRecord sent =
        new AliveRecord(
            alice.localIdentity().pkiId(),
            Optional.empty(),
            Optional.empty(),
            Bytes.EMPTY,
            new PeerTime(1, 1),
            Optional.empty());
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());

    Envelope envelope = new AliveMessages(alice, new SimpleMeterRegistry()).sign(sent);

    assertThat(envelope.hasSecretEnvelope()).isFalse();
    assertThat(GossipMessage.parseFrom(envelope.getPayload()).getAliveMsg().getMembership())
        .extracting(m -> m.getEndpoint())
        .isEqualTo("");
    assertThat(((Accepted) verify(envelope)).record()).isEqualTo(sent);
  }

  @Test
  void includedIdentityIntroducesAnUnknownSigner() throws Exception {
    AliveRecord sent = recordOf(alice, 1, true);

    Verdict verdict = verify(new AliveMessages(alice, new SimpleMeterRegistry()).sign(sent));

    assertThat(verdict).isInstanceOf(Accepted.class);
    assertThat(((Accepted) verdict).record()).isEqualTo(sent);
    assertThat(((Accepted) verdict).signer().serialized())
        .isEqualTo(alice.localIdentity().serialized());
  }

  @Test
  void unknownSignerWithoutIdentityIsRejected() throws Exception {
    Envelope envelope =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, false));

    assertRejected(verify(envelope), Reason.UNKNOWN_IDENTITY);
  }

  @Test
  void includedIdentityFromAnUntrustedCaIsRejected() throws Exception {
    IssuedIdentity foreign =
        Cryptogen.foreignIdentity(
            "Org1MSP",
            "mallory",
            time.now().minus(Duration.ofDays(1)),
            time.now().plus(Duration.ofDays(365)));
    AliveRecord claim =
        new AliveRecord(
            foreign.pkiId(),
            Optional.empty(),
            Optional.empty(),
            Bytes.EMPTY,
            new PeerTime(1, 1),
            Optional.of(foreign.serialized()));
    // Signed by alice's key: the identity is refused before the signature is looked at.
    Envelope envelope = new AliveMessages(alice, new SimpleMeterRegistry()).sign(claim);

    assertRejected(verify(envelope), Reason.UNKNOWN_IDENTITY);
  }

  @Test
  void tamperedPayloadIsRejected() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    Envelope envelope =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, false));
    GossipMessage original = GossipMessage.parseFrom(envelope.getPayload());
    GossipMessage replayedLater =
        original.toBuilder()
            .setAliveMsg(
                original.getAliveMsg().toBuilder()
                    .setTimestamp(
                        org.hyperledger.fabric.protos.gossip.PeerTime.newBuilder()
                            .setIncNum(42)
                            .setSeqNum(1_000)))
            .build();
    Envelope tampered = envelope.toBuilder().setPayload(replayedLater.toByteString()).build();

    assertRejected(verify(tampered), Reason.BAD_SIGNATURE);
  }

  @Test
  void aliveSignedByAnotherPeerIsRejected() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    // Bob claims to be alice and signs with his own key.
    Envelope forged =
        new AliveMessages(bob, new SimpleMeterRegistry()).sign(recordOf(alice, 2, false));

    assertRejected(verify(forged), Reason.BAD_SIGNATURE);
  }

  @Test
  void unsignedAliveIsRejected() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    Envelope signed =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, false));

    assertRejected(verify(signed.toBuilder().clearSignature().build()), Reason.BAD_SIGNATURE);
  }

  @Test
  void someoneElsesPkiIdWithOwnKeyAndOwnIdentityIsRejected() throws Exception {
    // Bob claims alice's PKI-ID, includes his own (valid) identity and signs with his own key.
    AliveRecord claim =
        new AliveRecord(
            alice.localIdentity().pkiId(),
            Optional.of(new Endpoint("bob", 7051)),
            Optional.empty(),
            Bytes.EMPTY,
            new PeerTime(1, 1),
            Optional.of(bob.localIdentity().serialized()));
    Envelope envelope = new AliveMessages(bob, new SimpleMeterRegistry()).sign(claim);

    assertRejected(verify(envelope), Reason.IDENTITY_MISMATCH);
  }

  @Test
  void forgedSecretEnvelopeIsRejected() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    Envelope genuine =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, false));
    ByteString evil =
        Secret.newBuilder().setInternalEndpoint("evil.local:6666").build().toByteString();
    // Bob signs a secret envelope of his own and attaches it to alice's genuine alive message.
    Envelope forged =
        genuine.toBuilder()
            .setSecretEnvelope(
                SecretEnvelope.newBuilder()
                    .setPayload(evil)
                    .setSignature(ByteString.copyFrom(bob.sign(evil.toByteArray()))))
            .build();

    assertRejected(verify(forged), Reason.BAD_SECRET_SIGNATURE);
  }

  @Test
  void secretPayloadSwappedUnderAliceSignatureIsRejected() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    Envelope genuine =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, false));
    ByteString evil =
        Secret.newBuilder().setInternalEndpoint("evil.local:6666").build().toByteString();
    Envelope forged =
        genuine.toBuilder()
            .setSecretEnvelope(genuine.getSecretEnvelope().toBuilder().setPayload(evil))
            .build();

    assertRejected(verify(forged), Reason.BAD_SECRET_SIGNATURE);
  }

  @Test
  void strippedSecretEnvelopeStillVerifiesWithoutInternalEndpoint() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    AliveRecord sent = recordOf(alice, 3, false);
    Envelope genuine = new AliveMessages(alice, new SimpleMeterRegistry()).sign(sent);
    Envelope stripped =
        DisclosurePolicy.apply(DisclosurePolicy.Disclosure.DISCLOSE_WITHOUT_SECRET, genuine)
            .orElseThrow();

    Verdict verdict = verify(stripped);

    assertThat(((Accepted) verdict).record().internalEndpoint()).isEmpty();
    assertThat(((Accepted) verdict).record().externalEndpoint()).isEqualTo(sent.externalEndpoint());
  }

  @Test
  void nonAliveMessageIsRejected() throws Exception {
    GossipMessage empty =
        GossipMessage.newBuilder()
            .setTag(GossipMessage.Tag.EMPTY)
            .setEmpty(Empty.getDefaultInstance())
            .build();
    ByteString payload = empty.toByteString();
    Envelope envelope =
        WireCodec.envelopeOf(payload, ByteString.copyFrom(alice.sign(payload.toByteArray())));

    assertRejected(verify(envelope), Reason.NOT_ALIVE);
  }

  @Test
  void aliveWithoutTimestampIsMalformed() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    Envelope genuine =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, false));
    GossipMessage m = GossipMessage.parseFrom(genuine.getPayload());
    AliveMessage noTime = m.getAliveMsg().toBuilder().clearTimestamp().build();
    ByteString payload = m.toBuilder().setAliveMsg(noTime).build().toByteString();
    Envelope envelope =
        WireCodec.envelopeOf(payload, ByteString.copyFrom(alice.sign(payload.toByteArray())));

    assertRejected(verify(envelope), Reason.MALFORMED);
  }

  @Test
  void unparseableEndpointIsMalformed() throws Exception {
    known.put(alice.localIdentity().pkiId(), alice.localIdentity());
    Envelope genuine =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, false));
    GossipMessage m = GossipMessage.parseFrom(genuine.getPayload());
    AliveMessage bad =
        m.getAliveMsg().toBuilder()
            .setMembership(m.getAliveMsg().getMembership().toBuilder().setEndpoint("no port"))
            .build();
    ByteString payload = m.toBuilder().setAliveMsg(bad).build().toByteString();
    Envelope envelope =
        WireCodec.envelopeOf(payload, ByteString.copyFrom(alice.sign(payload.toByteArray())));

    assertRejected(verify(envelope), Reason.MALFORMED);
  }

  @Test
  void verifiedAliveJoinsTheView() throws Exception {
    MembershipView view =
        MembershipView.builder().scheduler(time).meterRegistry(new SimpleMeterRegistry()).build();
    java.util.List<MembershipEvent> events = new java.util.ArrayList<>();
    Runnable unused = view.addListener(events::add);
    Envelope envelope =
        new AliveMessages(alice, new SimpleMeterRegistry()).sign(recordOf(alice, 1, true));

    Accepted accepted = (Accepted) verify(envelope);
    view.onAlive(accepted.record(), accepted.signer().mspId());

    assertThat(view.alive()).hasSize(1);
    assertThat(view.alive().get(0).mspId()).isEqualTo("Org1MSP");
    assertThat(view.alive().get(0).internalEndpoint()).contains(new Endpoint("int.local", 7051));
    assertThat(events)
        .extracting(MembershipEvent::type)
        .containsExactly(MembershipEvent.Type.JOINED);
  }
}
