package org.ledgergossip.orderer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.ledgergossip.api.Block;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** One peer organisation and the orderer organisation from cryptogen, in virtual time. */
final class OrdererFixture implements AutoCloseable {

  static final String CHANNEL = "mychannel";

  final VirtualScheduler time = new VirtualScheduler();
  final CryptoLayout layout;
  final Msp orderer;
  final Msp peer;

  OrdererFixture(Path dir) throws Exception {
    layout = Cryptogen.generate(dir, Cryptogen.Spec.builder().orgs(1).clock(time.clock()).build());
    orderer =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    layout.ordererDir(),
                    layout.trustedOrgs(),
                    time.clock()));
    peer = new X509MspProvider().create(layout.mspOptions(1, 0, time.clock()));
  }

  OrdererEmulator.Builder emulator() {
    return OrdererEmulator.builder().msp(orderer).scheduler(time).seed(1);
  }

  /** What a peer of Org1 uses to check the orderer's blocks of {@link #CHANNEL}. */
  BlockVerifier verifier() {
    return BlockVerifier.builder()
        .msp(peer)
        .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
        .channel(CHANNEL)
        .clock(time.clock())
        .build();
  }

  @Override
  public void close() {
    time.close();
    orderer.close();
    peer.close();
  }

  /** Records what a deliver subscription receives. */
  static final class Recorder implements BlockSource.Listener {
    final List<Block> blocks = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void onBlock(Block block) {
      blocks.add(block);
    }

    @Override
    public void onFailure(Throwable cause, long failingFor) {
      failures.add(cause);
    }

    List<Long> numbers() {
      return blocks.stream().map(Block::number).toList();
    }
  }
}
