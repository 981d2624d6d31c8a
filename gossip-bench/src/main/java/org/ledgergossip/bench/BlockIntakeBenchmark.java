package org.ledgergossip.bench;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockSigner;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.core.internal.block.MalformedBlockException;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a peer spends on one block it receives by state transfer or push, before the buffer: the
 * protobuf unmarshalling of a 10 KiB orderer-signed Fabric block ({@link #unmarshal}), its
 * verification (number, data hash, channel, orderer signature: {@link #verify}), and both ({@link
 * #intake}). {@code CryptoBenchmark.verify} gives the ECDSA share of {@link #verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlockIntakeBenchmark {

  private static final String CHANNEL = "mychannel";

  private BenchPki pki;
  private Msp orderer;
  private Msp peer;
  private BlockVerifier verifier;
  private byte[] marshalled;
  private Block block;

  /** Builds the PKI and one signed block of one 10 KiB transaction. */
  @Setup(Level.Trial)
  public void setUp() throws MalformedBlockException, InvalidIdentityException {
    pki = new BenchPki();
    orderer =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    pki.layout.ordererDir(),
                    pki.layout.trustedOrgs(),
                    Clock.system()));
    peer = pki.msp(1, 0);
    verifier =
        BlockVerifier.builder()
            .msp(peer)
            .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
            .channel(CHANNEL)
            .build();
    byte[] data = new byte[10 * 1024];
    new Random(1).nextBytes(data);
    byte[] nonce = new byte[24];
    Bytes envelope =
        ChannelEnvelopes.create(
            CHANNEL,
            ChannelEnvelopes.Type.ENDORSER_TRANSACTION,
            Instant.now(),
            Bytes.copyOf(data),
            orderer,
            nonce);
    Block unsigned = BlockFormat.newBlock(7, Bytes.copyOf(new byte[32]), List.of(envelope));
    marshalled = BlockFormat.marshal(new BlockSigner(orderer).sign(unsigned, 0));
    block = BlockFormat.unmarshal(marshalled);
    if (!verifier.verify(block, 7).isValid()) {
      throw new IllegalStateException("the benchmark's block does not verify");
    }
  }

  /** Releases the MSPs and the PKI. */
  @TearDown(Level.Trial)
  public void tearDown() {
    peer.close();
    orderer.close();
    pki.close();
  }

  /** Protobuf bytes to a {@link Block}. */
  @Benchmark
  public Block unmarshal() throws MalformedBlockException {
    return BlockFormat.unmarshal(marshalled);
  }

  /** Number, data hash, channel and orderer signature of an unmarshalled block. */
  @Benchmark
  public BlockVerifier.Result verify() {
    return verifier.verify(block, 7);
  }

  /** Both: what each received block costs before it is buffered. */
  @Benchmark
  public BlockVerifier.Result intake() throws MalformedBlockException {
    return verifier.verify(BlockFormat.unmarshal(marshalled), 7);
  }
}
