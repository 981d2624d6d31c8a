package org.ledgergossip.orderer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.orderer.OrdererFixture.CHANNEL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Providers;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.orderer.OrdererFixture.Recorder;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.ledgergossip.spi.orderer.BlockSourceProvider;

/** The in-process {@code emulator} block source: verified blocks in order, failures retried. */
class EmulatorBlockSourceTest {

  private static final String NAME = "source-test";

  @TempDir Path dir;
  private OrdererFixture fx;
  private BlockSource source;

  @BeforeEach
  void setUp() throws Exception {
    fx = new OrdererFixture(dir);
    BlockSourceProvider provider =
        Providers.load(BlockSourceProvider.class, EmulatorBlockSourceProvider.NAME);
    source =
        provider.create(
            new BlockSourceOptions(
                List.of(new Endpoint("localhost", 7050)),
                fx.peer,
                fx.peer.tlsCredentials().orElseThrow(),
                fx.time,
                Map.of(EmulatorBlockSourceProvider.NAME_PROPERTY, NAME)));
  }

  @AfterEach
  void tearDown() {
    source.close();
    fx.close();
  }

  @Test
  void sourceDeliversVerifiedBlocksInOrderFromTheRequestedHeight() throws Exception {
    try (OrdererEmulator emulator = fx.emulator().name(NAME).build()) {
      emulator.createChannel(CHANNEL);
      Cancellable load = emulator.startSynthetic(CHANNEL, SyntheticLoad.rate(10, 1000));
      fx.time.advanceBy(Duration.ofSeconds(2));
      Recorder r = new Recorder();
      source.subscribe(CHANNEL, 5, r);
      fx.time.advanceBy(Duration.ofSeconds(1));
      load.cancel();
      assertThat(r.numbers()).isEqualTo(LongStream.rangeClosed(5, 30).boxed().toList());
      assertThat(r.failures).isEmpty();
    }
  }

  @Test
  void blocksSignedByANonOrdererAreReportedAsFailuresAndNeverDelivered() throws Exception {
    // An "orderer" whose blocks are signed by a peer of Org1.
    try (OrdererEmulator rogue =
        OrdererEmulator.builder().msp(fx.peer).scheduler(fx.time).name(NAME).build()) {
      rogue.createChannel(CHANNEL);
      Recorder r = new Recorder();
      source.subscribe(CHANNEL, 0, r);
      fx.time.advanceBy(Duration.ofSeconds(1));
      assertThat(r.blocks).isEmpty();
      assertThat(r.failures)
          .hasSizeGreaterThan(1) // retried with back-off: 100, 200, 400 ms
          .hasSizeLessThan(6)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          BlockRejectedException.class,
                          b -> {
                            assertThat(b.reason()).isEqualTo("untrusted_signer");
                            assertThat(b.blockNumber()).isZero();
                          }));
    }
  }

  @Test
  void missingEmulatorIsRetriedUntilItAppears() throws Exception {
    Recorder r = new Recorder();
    BlockSource.Subscription s = source.subscribe(CHANNEL, 0, r);
    fx.time.advanceBy(Duration.ofMillis(50));
    assertThat(r.failures).singleElement().satisfies(e -> assertThat(e).hasMessageContaining(NAME));
    try (OrdererEmulator emulator = fx.emulator().name(NAME).build()) {
      emulator.createChannel(CHANNEL);
      emulator.submit(CHANNEL, new byte[] {1});
      fx.time.advanceBy(Duration.ofSeconds(3));
      assertThat(r.numbers()).containsExactly(0L, 1L);
      s.close();
      emulator.submit(CHANNEL, new byte[] {2});
      fx.time.advanceBy(Duration.ofSeconds(3));
      assertThat(r.numbers()).containsExactly(0L, 1L);
    }
  }
}
