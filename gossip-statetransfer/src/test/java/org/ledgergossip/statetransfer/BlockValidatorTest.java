package org.ledgergossip.statetransfer;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockSigner;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

class BlockValidatorTest {

  @TempDir Path dir;

  @Test
  void validatorOfTheCoreVerifierAcceptsOrdererSignedBlocksAndRefusesTamperedOnes()
      throws Exception {
    VirtualScheduler time = new VirtualScheduler();
    CryptoLayout layout =
        Cryptogen.generate(dir, Cryptogen.Spec.builder().orgs(1).clock(time.clock()).build());
    try (Msp orderer =
            new X509MspProvider()
                .create(
                    new MspOptions(
                        CryptoLayout.ORDERER_MSP_ID,
                        layout.ordererDir(),
                        layout.trustedOrgs(),
                        time.clock()));
        Msp peer = new X509MspProvider().create(layout.mspOptions(1, 0, time.clock()))) {
      BlockValidator validator =
          BlockValidator.of(
              BlockVerifier.builder()
                  .msp(peer)
                  .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
                  .channel("mychannel")
                  .clock(time.clock())
                  .meterRegistry(new SimpleMeterRegistry())
                  .build());
      Bytes tx =
          ChannelEnvelopes.create(
              "mychannel",
              ChannelEnvelopes.Type.MESSAGE,
              time.now(),
              Bytes.copyOf("tx".getBytes(StandardCharsets.UTF_8)),
              orderer,
              new byte[24]);
      Block signed =
          new BlockSigner(orderer, new Random(1))
              .sign(BlockFormat.newBlock(0, Bytes.EMPTY, List.of(tx)), 0);
      assertThatCode(() -> validator.verify("mychannel", signed)).doesNotThrowAnyException();

      Block tampered =
          new Block(
              0,
              signed.previousHash(),
              signed.dataHash(),
              List.of(Bytes.copyOf(new byte[] {1})),
              signed.metadata());
      assertThatThrownBy(() -> validator.verify("mychannel", tampered))
          .isInstanceOf(InvalidBlockException.class)
          .hasMessageContaining("DATA_HASH_MISMATCH");
    }
  }
}
