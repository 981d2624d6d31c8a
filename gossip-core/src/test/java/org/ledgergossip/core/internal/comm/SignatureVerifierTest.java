package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Secret;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** {@link SignatureVerifier} against Cryptogen-made identities. */
class SignatureVerifierTest {

  @TempDir Path dir;

  private final VirtualScheduler time = new VirtualScheduler();
  private final WireCodec codec = new WireCodec(1 << 20, new SimpleMeterRegistry());
  private Msp signer;
  private Msp other;

  @BeforeEach
  void identities() throws Exception {
    CryptoLayout layout =
        Cryptogen.generate(dir, Cryptogen.Spec.builder().clock(time.clock()).build());
    signer = new X509MspProvider().create(layout.mspOptions(1, 0, time.clock()));
    other = new X509MspProvider().create(layout.mspOptions(2, 0, time.clock()));
  }

  private ByteString payload(long seq) throws Exception {
    return Envelope.parseFrom(CommFixture.alive(signer.localIdentity().pkiId(), seq)).getPayload();
  }

  private ByteString sign(ByteString bytes) {
    return ByteString.copyFrom(signer.sign(bytes.toByteArray()));
  }

  private ReceivedEnvelope received(Envelope envelope) throws Exception {
    return codec.decode(codec.encode(envelope));
  }

  @Test
  void aProperlySignedEnvelopeVerifies() throws Exception {
    ByteString payload = payload(1);
    ReceivedEnvelope r = received(WireCodec.envelopeOf(payload, sign(payload)));

    assertThat(SignatureVerifier.verify(r, signer.localIdentity())).isTrue();
    assertThat(SignatureVerifier.verify(r, other.localIdentity()))
        .as("not signed by another identity")
        .isFalse();
  }

  @Test
  void aTamperedPayloadIsRejected() throws Exception {
    ByteString signature = sign(payload(1));
    GossipMessage changed = GossipMessage.parseFrom(payload(1)).toBuilder().setNonce(99).build();

    ReceivedEnvelope r = received(WireCodec.envelopeOf(changed.toByteString(), signature));

    assertThat(SignatureVerifier.verify(r, signer.localIdentity())).isFalse();
  }

  @Test
  void anUnsignedOrGarbageSignedEnvelopeIsRejected() throws Exception {
    ByteString payload = payload(1);

    assertThat(
            SignatureVerifier.verify(
                received(WireCodec.envelopeOf(payload, ByteString.EMPTY)), signer.localIdentity()))
        .isFalse();
    assertThat(
            SignatureVerifier.verify(
                received(WireCodec.envelopeOf(payload, ByteString.copyFromUtf8("not DER"))),
                signer.localIdentity()))
        .isFalse();
  }

  @Test
  void theSecretEnvelopeMustBeSignedToo() throws Exception {
    ByteString payload = payload(1);
    ByteString secret =
        Secret.newBuilder().setInternalEndpoint("10.0.0.1:7051").build().toByteString();

    SecretEnvelope good =
        SecretEnvelope.newBuilder().setPayload(secret).setSignature(sign(secret)).build();
    SecretEnvelope bad =
        SecretEnvelope.newBuilder().setPayload(secret).setSignature(sign(payload)).build();

    assertThat(
            SignatureVerifier.verify(
                received(WireCodec.envelopeOf(payload, sign(payload), good)),
                signer.localIdentity()))
        .isTrue();
    assertThat(
            SignatureVerifier.verify(
                received(WireCodec.envelopeOf(payload, sign(payload), bad)),
                signer.localIdentity()))
        .isFalse();
  }
}
