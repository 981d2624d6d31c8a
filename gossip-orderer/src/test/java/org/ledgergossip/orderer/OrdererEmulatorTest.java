package org.ledgergossip.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.orderer.OrdererFixture.CHANNEL;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.hyperledger.fabric.protos.common.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.core.internal.block.BlockVerifier.Reason;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.orderer.OrdererFixture.Recorder;
import org.ledgergossip.spi.ledger.LedgerStore;

/** The emulator's blocks, cutting rules, broadcast answers and deliver, in virtual time. */
class OrdererEmulatorTest {

  @TempDir Path dir;
  private OrdererFixture fx;
  private OrdererEmulator emulator;

  @BeforeEach
  void setUp() throws Exception {
    fx = new OrdererFixture(dir);
    emulator = fx.emulator().build();
    emulator.createChannel(CHANNEL);
  }

  @AfterEach
  void tearDown() {
    emulator.close();
    fx.close();
  }

  private List<Block> blocks() throws Exception {
    List<Block> out = new ArrayList<>();
    for (long n = 0; n < emulator.height(CHANNEL); n++) {
      out.add(emulator.block(CHANNEL, n).orElseThrow());
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void submit(int count) {
    for (int i = 0; i < count; i++) {
      assertThat(emulator.submit(CHANNEL, utf8("tx" + i))).isEqualTo(BroadcastStatus.SUCCESS);
    }
  }

  @Test
  void blocksOfSubmittedTransactionsChainAndVerifyWithTheOrdererSignature() throws Exception {
    submit(25);
    fx.time.advanceBy(OrdererEmulator.DEFAULT_BATCH_TIMEOUT);
    List<Block> chain = blocks();
    assertThat(chain).extracting(b -> b.data().size()).containsExactly(1, 10, 10, 5);
    BlockVerifier verifier = fx.verifier();
    assertThat(verifier.verify(chain.get(0), 0, Bytes.EMPTY).isValid()).isTrue();
    for (int n = 1; n < chain.size(); n++) {
      assertThat(verifier.verifyNext(chain.get(n), chain.get(n - 1)))
          .isEqualTo(BlockVerifier.Result.VALID);
    }
    assertThat(ChannelEnvelopes.channelOf(chain.get(3).data().get(4))).contains(CHANNEL);
  }

  @Test
  void partialBatchIsCutWhenTheBatchTimeoutExpires() {
    submit(3);
    fx.time.advanceBy(OrdererEmulator.DEFAULT_BATCH_TIMEOUT.minusMillis(1));
    assertThat(emulator.height(CHANNEL)).isEqualTo(1);
    fx.time.advanceBy(Duration.ofMillis(1));
    assertThat(emulator.height(CHANNEL)).isEqualTo(2);
  }

  @Test
  void envelopeLargerThanPreferredMaxBytesGetsABlockOfItsOwn() throws Exception {
    OrdererEmulator small = fx.emulator().preferredMaxBytes(4096).build();
    small.createChannel(CHANNEL);
    small.submit(CHANNEL, utf8("a"));
    small.submit(CHANNEL, new byte[5000]);
    small.submit(CHANNEL, utf8("b"));
    fx.time.advanceBy(OrdererEmulator.DEFAULT_BATCH_TIMEOUT);
    List<Integer> sizes = new ArrayList<>();
    for (long n = 1; n < small.height(CHANNEL); n++) {
      sizes.add(small.block(CHANNEL, n).orElseThrow().data().size());
    }
    assertThat(sizes).containsExactly(1, 1, 1);
    assertThat(small.block(CHANNEL, 2).orElseThrow().dataSize()).isGreaterThan(5000);
    small.close();
  }

  @Test
  void broadcastAnswersWithFabricsStatuses() {
    Bytes own =
        ChannelEnvelopes.create(
            CHANNEL,
            ChannelEnvelopes.Type.ENDORSER_TRANSACTION,
            fx.time.now(),
            Bytes.copyOf(utf8("x")),
            fx.peer,
            new byte[24]);
    Bytes other =
        ChannelEnvelopes.create(
            "other",
            ChannelEnvelopes.Type.ENDORSER_TRANSACTION,
            fx.time.now(),
            Bytes.EMPTY,
            fx.peer,
            new byte[24]);
    assertThat(emulator.broadcast(CHANNEL, own.toByteArray())).isEqualTo(BroadcastStatus.SUCCESS);
    assertThat(emulator.broadcast("nochannel", own.toByteArray()))
        .isEqualTo(BroadcastStatus.NOT_FOUND);
    assertThat(emulator.broadcast(CHANNEL, other.toByteArray()))
        .isEqualTo(BroadcastStatus.BAD_REQUEST);
    assertThat(emulator.broadcast(CHANNEL, new byte[] {(byte) 0xff, 3}))
        .isEqualTo(BroadcastStatus.BAD_REQUEST);
    assertThat(BroadcastStatus.SERVICE_UNAVAILABLE.code()).isEqualTo(503);
    fx.time.advanceBy(OrdererEmulator.DEFAULT_BATCH_TIMEOUT);
    assertThat(emulator.height(CHANNEL)).isEqualTo(2);
  }

  @Test
  void fullInboxRefusesWithServiceUnavailable() throws Exception {
    OrdererEmulator tiny = fx.emulator().maxPendingEnvelopes(2).build();
    tiny.createChannel(CHANNEL);
    assertThat(tiny.submit(CHANNEL, utf8("1"))).isEqualTo(BroadcastStatus.SUCCESS);
    assertThat(tiny.submit(CHANNEL, utf8("2"))).isEqualTo(BroadcastStatus.SUCCESS);
    assertThat(tiny.submit(CHANNEL, utf8("3"))).isEqualTo(BroadcastStatus.SERVICE_UNAVAILABLE);
    fx.time.runUntilIdle();
    assertThat(tiny.submit(CHANNEL, utf8("4"))).isEqualTo(BroadcastStatus.SUCCESS);
    tiny.close();
    assertThat(tiny.submit(CHANNEL, utf8("5"))).isEqualTo(BroadcastStatus.SERVICE_UNAVAILABLE);
  }

  @Test
  void syntheticLoadCutsBlocksAtItsRateAndSizeUntilCancelled() throws Exception {
    Cancellable load = emulator.startSynthetic(CHANNEL, SyntheticLoad.rate(10, 10 * 1024));
    fx.time.advanceBy(Duration.ofSeconds(1));
    assertThat(emulator.height(CHANNEL)).isEqualTo(11);
    assertThat(emulator.block(CHANNEL, 5).orElseThrow().dataSize()).isGreaterThan(10 * 1024);
    load.cancel();
    fx.time.advanceBy(Duration.ofSeconds(1));
    assertThat(emulator.height(CHANNEL)).isEqualTo(11);
    BlockVerifier verifier = fx.verifier();
    List<Block> chain = blocks();
    for (int n = 1; n < chain.size(); n++) {
      assertThat(verifier.verifyNext(chain.get(n), chain.get(n - 1)).isValid()).isTrue();
    }
  }

  @Test
  void deliverFromAHeightReplaysThenFollowsLiveInOrder() {
    Cancellable load = emulator.startSynthetic(CHANNEL, SyntheticLoad.rate(100, 100));
    fx.time.advanceBy(Duration.ofSeconds(2)); // blocks 0..200
    Recorder late = new Recorder();
    emulator.deliver(CHANNEL, 50, late);
    Recorder future = new Recorder();
    emulator.deliver(CHANNEL, 250, future);
    fx.time.runUntilIdle();
    assertThat(late.numbers()).isEqualTo(LongStream.rangeClosed(50, 200).boxed().toList());
    assertThat(future.blocks).isEmpty();
    fx.time.advanceBy(Duration.ofSeconds(1)); // blocks 201..300
    load.cancel();
    assertThat(late.numbers()).isEqualTo(LongStream.rangeClosed(50, 300).boxed().toList());
    assertThat(future.numbers()).isEqualTo(LongStream.rangeClosed(250, 300).boxed().toList());
    assertThat(late.failures).isEmpty();
  }

  @Test
  void closedSubscriptionGetsNoFurtherBlocks() {
    Recorder r = new Recorder();
    var subscription = emulator.deliver(CHANNEL, 0, r);
    fx.time.runUntilIdle();
    subscription.close();
    submit(10);
    fx.time.runUntilIdle();
    assertThat(emulator.height(CHANNEL)).isEqualTo(2);
    assertThat(r.numbers()).containsExactly(0L);
  }

  @Test
  void tamperedBlocksAreRefusedWithTheirReason() throws Exception {
    submit(20);
    fx.time.runUntilIdle();
    List<Block> chain = blocks();
    Block one = chain.get(1);
    Block two = chain.get(2);
    BlockVerifier verifier = fx.verifier();

    Metadata md = Metadata.parseFrom(one.signaturesMetadata().toByteArray());
    byte[] sig = md.getSignatures(0).getSignature().toByteArray();
    byte[] otherSig = fx.orderer.sign(utf8("something else"));
    Metadata forged =
        md.toBuilder()
            .setSignatures(
                0,
                md.getSignatures(0).toBuilder()
                    .setSignature(com.google.protobuf.ByteString.copyFrom(otherSig)))
            .build();
    assertThat(otherSig).isNotEqualTo(sig);
    Block badSignature = withMetadata(one, Bytes.copyOf(forged.toByteArray()));
    assertThat(verifier.verifyNext(badSignature, chain.get(0)).reason())
        .isEqualTo(Reason.BAD_SIGNATURE);

    assertThat(verifier.verify(two, 2, BlockFormat.headerHash(chain.get(0))).reason())
        .isEqualTo(Reason.BROKEN_CHAIN);

    Block wrongData =
        new Block(one.number(), one.previousHash(), one.dataHash(), two.data(), one.metadata());
    assertThat(verifier.verifyNext(wrongData, chain.get(0)).reason())
        .isEqualTo(Reason.DATA_HASH_MISMATCH);

    Block rehashed = BlockFormat.newBlock(1, one.previousHash(), two.data());
    Block rehashedWithOldSignature =
        new Block(1, rehashed.previousHash(), rehashed.dataHash(), two.data(), one.metadata());
    assertThat(verifier.verifyNext(rehashedWithOldSignature, chain.get(0)).reason())
        .isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(verifier.rejections(Reason.BAD_SIGNATURE)).isEqualTo(2);
  }

  private static Block withMetadata(Block b, Bytes signatures) {
    List<Bytes> metadata = new ArrayList<>(b.metadata());
    metadata.set(Block.SIGNATURES_METADATA_INDEX, signatures);
    return new Block(b.number(), b.previousHash(), b.dataHash(), b.data(), metadata);
  }

  @Test
  void deliverFromADroppedHeightFailsOnce() throws Exception {
    OrdererEmulator bounded = fx.emulator().retainedBlocks(10).build();
    bounded.createChannel(CHANNEL);
    Cancellable load = bounded.startSynthetic(CHANNEL, SyntheticLoad.rate(10, 10));
    fx.time.advanceBy(Duration.ofSeconds(3));
    load.cancel();
    assertThat(bounded.height(CHANNEL)).isEqualTo(31);
    assertThat(bounded.block(CHANNEL, 20)).isEmpty();
    assertThat(bounded.block(CHANNEL, 21)).isPresent();
    Recorder r = new Recorder();
    bounded.deliver(CHANNEL, 5, r);
    fx.time.runUntilIdle();
    assertThat(r.blocks).isEmpty();
    assertThat(r.failures).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("5"));
    bounded.close();
  }

  @Test
  void chainInALedgerContinuesAfterARestart() throws Exception {
    ListLedger ledger = new ListLedger();
    OrdererEmulator first = fx.emulator().ledger(ch -> ledger).build();
    first.createChannel(CHANNEL);
    first.submit(CHANNEL, utf8("a"));
    fx.time.advanceBy(OrdererEmulator.DEFAULT_BATCH_TIMEOUT);
    first.close();
    assertThat(ledger.closed).isTrue();
    assertThat(ledger.height()).isEqualTo(2);

    ledger.closed = false;
    OrdererEmulator second = fx.emulator().seed(2).ledger(ch -> ledger).build();
    second.createChannel(CHANNEL);
    second.submit(CHANNEL, utf8("b"));
    fx.time.advanceBy(OrdererEmulator.DEFAULT_BATCH_TIMEOUT);
    assertThat(second.height(CHANNEL)).isEqualTo(3);
    BlockVerifier verifier = fx.verifier();
    assertThat(verifier.verifyNext(ledger.get(2).orElseThrow(), ledger.get(1).orElseThrow()))
        .isEqualTo(BlockVerifier.Result.VALID);
    second.close();
  }

  @Test
  void closingTheEmulatorStopsItsSyntheticLoads() {
    Cancellable load = emulator.startSynthetic(CHANNEL, SyntheticLoad.rate(10, 10));
    emulator.close();
    assertThat(load.isCancelled()).isTrue();
    assertThat(fx.time.runUntilIdle()).isLessThan(10);
  }

  @Test
  void unknownChannelsAndDuplicateNamesAreRefused() throws Exception {
    assertThatThrownBy(() -> emulator.deliver("nochannel", 0, new Recorder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nochannel");
    assertThatThrownBy(() -> emulator.createChannel(CHANNEL))
        .isInstanceOf(IllegalStateException.class);
    OrdererEmulator named = fx.emulator().name("unique-test-name").build();
    assertThat(OrdererEmulator.lookup("unique-test-name")).contains(named);
    assertThatThrownBy(() -> fx.emulator().name("unique-test-name").build())
        .isInstanceOf(IllegalStateException.class);
    named.close();
    assertThat(OrdererEmulator.lookup("unique-test-name")).isEmpty();
  }

  /** A list-backed ledger store for the restart test. */
  private static final class ListLedger implements LedgerStore {
    private final List<Block> blocks = new ArrayList<>();
    boolean closed;

    @Override
    public synchronized long height() {
      return blocks.size();
    }

    @Override
    public synchronized void append(Block block) {
      if (block.number() != blocks.size()) {
        throw new IllegalArgumentException("not at height");
      }
      blocks.add(block);
    }

    @Override
    public synchronized Optional<Block> get(long number) {
      return number < blocks.size() ? Optional.of(blocks.get((int) number)) : Optional.empty();
    }

    @Override
    public synchronized List<Block> range(long from, long toExclusive) {
      return List.copyOf(
          blocks.subList(
              (int) Math.min(from, blocks.size()), (int) Math.min(toExclusive, blocks.size())));
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
