package org.ledgergossip.core.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames from a fixed seed: {@link WireCodec#decode} either accepts a frame with
 * a legal tag or refuses it with a {@link MalformedMessageException}; nothing else escapes.
 */
class WireCodecFuzzTest {

  private static final long SEED = 0x6c6564676572L; // "ledger"
  private static final int FRAMES = 2_000;
  private static final int MAX = 64 * 1024;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WireCodec codec = new WireCodec(MAX, registry);

  /** Well-formed frames of every content, tag and pull type, legal or not, to mutate. */
  private static List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>();
    for (ContentCase content : ContentCase.values()) {
      for (Tag tag : Tag.values()) {
        if (tag == Tag.UNRECOGNIZED) {
          continue;
        }
        for (PullMsgType type : List.of(PullMsgType.BLOCK_MSG, PullMsgType.IDENTITY_MSG)) {
          seeds.add(
              WireCodec.envelopeOf(SampleMessages.sample(content, type).setTag(tag).build())
                  .toByteArray());
        }
      }
    }
    return seeds;
  }

  private static byte[] mutate(byte[] frame, Random random) {
    byte[] out = frame.clone();
    switch (random.nextInt(6)) {
      case 0 -> { // flip a few bits
        for (int i = 0, n = 1 + random.nextInt(4); i < n && out.length > 0; i++) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length + 1)); // truncate
      case 2 -> { // overwrite a byte with an extreme value (lengths, tags)
        if (out.length > 0) {
          out[random.nextInt(out.length)] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
        }
      }
      case 3 -> { // insert random bytes
        int at = random.nextInt(out.length + 1);
        byte[] insert = new byte[1 + random.nextInt(8)];
        random.nextBytes(insert);
        byte[] grown = new byte[out.length + insert.length];
        System.arraycopy(out, 0, grown, 0, at);
        System.arraycopy(insert, 0, grown, at, insert.length);
        System.arraycopy(out, at, grown, at + insert.length, out.length - at);
        out = grown;
      }
      case 4 -> { // mutate inside the payload, keeping the envelope well-formed
        ByteString payload = ByteString.copyFrom(mutate(innerPayload(frame), random));
        out = WireCodec.envelopeOf(payload, ByteString.EMPTY).toByteArray();
      }
      default -> { // pure noise
        out = new byte[random.nextInt(512)];
        random.nextBytes(out);
      }
    }
    return out;
  }

  private static byte[] innerPayload(byte[] frame) {
    try {
      return Envelope.parseFrom(frame).getPayload().toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("seed frames are valid", e);
    }
  }

  @Test
  void randomAndMutatedFramesOnlyEverFailWithMalformedMessageException() {
    Random random = new Random(SEED);
    List<byte[]> seeds = seeds();
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < FRAMES; i++) {
      byte[] frame = mutate(seeds.get(random.nextInt(seeds.size())), random);
      try {
        ReceivedEnvelope received = codec.decode(frame);
        assertThat(WireCodec.isTagLegal(received.message())).isTrue();
        assertThat(received.frame().toByteArray()).isEqualTo(frame);
        accepted++;
      } catch (MalformedMessageException e) {
        assertThat(e.reason()).isNotNull();
        assertThat(e.getMessage()).isNotBlank();
        refused++;
      }
    }
    assertThat(accepted + refused).isEqualTo(FRAMES);
    assertThat(refused).as("the mutations should mostly break frames").isGreaterThan(FRAMES / 4);
    assertThat(accepted).as("some mutations should keep frames valid").isPositive();
    double counted =
        registry.get(WireCodec.REJECTED_COUNTER).counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    assertThat(counted).isEqualTo(refused);
  }
}
