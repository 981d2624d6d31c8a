package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** {@link MessageDeduplicator}: first seen once, bounded, expiring in virtual time. */
class MessageDeduplicatorTest {

  private static final Duration TTL = Duration.ofSeconds(60);
  private static final PkiId PEER = PkiId.fromHex("11".repeat(32));

  private final VirtualScheduler time = new VirtualScheduler();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final WireCodec codec = new WireCodec(1 << 20, meters);

  private MessageDeduplicator dedup(int maxEntries) {
    return new MessageDeduplicator(maxEntries, TTL, time.clock(), meters);
  }

  private ReceivedEnvelope received(long seq, String signature) throws Exception {
    Envelope unsigned = Envelope.parseFrom(CommFixture.alive(PEER, seq));
    Envelope signed = unsigned.toBuilder().setSignature(ByteString.copyFromUtf8(signature)).build();
    // Decoded from fresh bytes each time, as a copy forwarded by another peer would be.
    return codec.decode(codec.encode(signed));
  }

  private double duplicates() {
    return meters.counter(MessageDeduplicator.DUPLICATES_COUNTER).count();
  }

  @Test
  void theSameEnvelopeIsFirstSeenOnceAndDuplicatesAreCounted() throws Exception {
    MessageDeduplicator d = dedup(100);

    assertThat(d.firstSeen(received(1, "sig"))).isTrue();
    assertThat(d.firstSeen(received(1, "sig"))).isFalse();
    assertThat(d.firstSeen(received(1, "sig"))).isFalse();
    assertThat(d.firstSeen(received(2, "sig"))).isTrue();

    assertThat(duplicates()).isEqualTo(2);
    assertThat(d.size()).isEqualTo(2);
  }

  @Test
  void aCopyWithAForgedSignatureDoesNotShadowTheGenuineMessage() throws Exception {
    MessageDeduplicator d = dedup(100);

    assertThat(d.firstSeen(received(1, "forged"))).isTrue();
    assertThat(d.firstSeen(received(1, "genuine"))).isTrue();
    assertThat(duplicates()).isZero();
  }

  @Test
  void anEntryExpiresAfterTheTtlInVirtualTime() throws Exception {
    MessageDeduplicator d = dedup(100);
    assertThat(d.firstSeen(received(1, "sig"))).isTrue();

    time.advanceBy(TTL.minusNanos(1));
    assertThat(d.firstSeen(received(1, "sig"))).as("a duplicate does not extend the ttl").isFalse();
    time.advanceBy(Duration.ofNanos(1));

    assertThat(d.size()).isZero();
    assertThat(d.firstSeen(received(1, "sig"))).isTrue();
  }

  @Test
  void whenFullTheOldestIsForgottenFirst() throws Exception {
    MessageDeduplicator d = dedup(2);

    for (long seq = 1; seq <= 3; seq++) {
      assertThat(d.firstSeen(received(seq, "sig"))).isTrue();
      time.advanceBy(Duration.ofSeconds(1));
    }

    assertThat(d.size()).isEqualTo(2);
    assertThat(d.firstSeen(received(3, "sig"))).isFalse();
    assertThat(d.firstSeen(received(1, "sig"))).as("evicted, so seen anew").isTrue();
    assertThat(d.size()).isEqualTo(2);
  }

  @Test
  void boundsMustBePositive() {
    assertThatThrownBy(() -> dedup(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MessageDeduplicator(1, Duration.ZERO, time.clock(), meters))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
