package org.ledgergossip.orderer;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.IssuedIdentity;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * Real time, real mutual TLS on loopback: one peer organisation and the orderer organisation from
 * cryptogen, an emulator that cuts one block per envelope, the {@code deliver} source of peer0 of
 * Org1, and what the tests need to speak raw gRPC. Closes everything it made.
 */
final class GrpcFixture implements AutoCloseable {

  static final String CHANNEL = "mychannel";
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  final Scheduler ordererTime = Scheduler.system("test-orderer");
  final Scheduler clientTime = Scheduler.system("test-deliver-client");
  final CryptoLayout layout;
  final Msp orderer;
  final Msp peer;
  final SimpleMeterRegistry serverMetrics = new SimpleMeterRegistry();
  final SimpleMeterRegistry clientMetrics = new SimpleMeterRegistry();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** Cryptogen material for a test class (generating it is the slow part of the set-up). */
  static CryptoLayout generate(Path dir) throws IOException {
    return Cryptogen.generate(dir, Cryptogen.Spec.builder().orgs(1).build());
  }

  GrpcFixture(CryptoLayout layout) throws Exception {
    this.layout = layout;
    orderer =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    layout.ordererDir(),
                    layout.trustedOrgs(),
                    Clock.system()));
    peer = new X509MspProvider().create(layout.mspOptions(1, 0, Clock.system()));
  }

  <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** An emulator with {@link #CHANNEL}, cutting one block per envelope. */
  OrdererEmulator emulator() throws Exception {
    OrdererEmulator e =
        track(
            OrdererEmulator.builder()
                .msp(orderer)
                .scheduler(ordererTime)
                .meterRegistry(serverMetrics)
                .maxMessageCount(1)
                .build());
    e.createChannel(CHANNEL);
    return e;
  }

  OrdererServer server(OrdererEmulator emulator) throws IOException {
    return server(emulator, 0);
  }

  OrdererServer server(OrdererEmulator emulator, int port) throws IOException {
    return track(
        OrdererServer.builder()
            .emulator(emulator)
            .endpoint(new Endpoint("127.0.0.1", port))
            .shutdownGrace(Duration.ofMillis(200))
            .start());
  }

  /** The {@code deliver} source of peer0 of Org1 reading from {@code orderers}. */
  BlockSource source(List<Endpoint> orderers) {
    return source(orderers, peer, peer.tlsCredentials().orElseThrow());
  }

  BlockSource source(List<Endpoint> orderers, Msp msp, TlsCredentials tls) {
    return track(
        new DeliverBlockSourceProvider()
            .create(
                new BlockSourceOptions(orderers, msp, tls, clientTime, Map.of()), clientMetrics));
  }

  /** A client channel to {@code port} with peer0's TLS material. */
  ManagedChannel channel(int port) {
    ManagedChannel c =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", port, GrpcTls.client(peer.tlsCredentials().orElseThrow()))
            .build();
    track(c::shutdownNow);
    return c;
  }

  /** A gRPC server with the orderer's TLS material serving {@code service} on a free port. */
  Server serve(BindableService service) throws IOException {
    Server s =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0),
                GrpcTls.server(orderer.tlsCredentials().orElseThrow()))
            .addService(service)
            .build()
            .start();
    track(
        () -> {
          s.shutdownNow();
          s.awaitTermination(5, TimeUnit.SECONDS);
        });
    return s;
  }

  /** An identity of "Org1MSP" from a CA nobody trusts. */
  static IssuedIdentity foreign() {
    Instant now = Instant.now();
    return Cryptogen.foreignIdentity(
        "Org1MSP", "intruder", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
  }

  static Block blockOf(OrdererEmulator emulator, long number) {
    try {
      return emulator.block(CHANNEL, number).orElseThrow();
    } catch (LedgerException e) {
      throw new AssertionError(e);
    }
  }

  double serverCount(String name, String... tags) {
    var c = serverMetrics.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        throw new AssertionError("cannot close " + closeables.get(i), e);
      }
    }
    ordererTime.close();
    clientTime.close();
    orderer.close();
    peer.close();
  }

  /** Records what a subscription receives; thread-safe. */
  static final class LiveRecorder implements BlockSource.Listener {
    final List<Block> blocks = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<Long> failingFor = new CopyOnWriteArrayList<>();

    @Override
    public void onBlock(Block block) {
      blocks.add(block);
    }

    @Override
    public void onFailure(Throwable cause, long failingFor) {
      failures.add(cause);
      this.failingFor.add(failingFor);
    }

    List<Long> numbers() {
      return blocks.stream().map(Block::number).toList();
    }
  }

  /** Collects a stream's responses. */
  static final class Responses<T> implements StreamObserver<T> {
    final BlockingQueue<T> received = new LinkedBlockingQueue<>();
    final CountDownLatch done = new CountDownLatch(1);
    volatile @Nullable Throwable error;

    @Override
    public void onNext(T value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }

    T next() throws InterruptedException {
      T value = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (value == null) {
        throw new AssertionError("no response within " + TIMEOUT);
      }
      return value;
    }

    boolean completed() throws InterruptedException {
      return done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && error == null;
    }
  }

  /** An MSP whose local identity is {@code signer} but that validates like {@code real}. */
  static Msp signingAs(IssuedIdentity signer, Msp real) {
    Identity local =
        new Identity() {
          @Override
          public String mspId() {
            return signer.mspId();
          }

          @Override
          public PkiId pkiId() {
            return signer.pkiId();
          }

          @Override
          public Bytes serialized() {
            return signer.serialized();
          }

          @Override
          public Instant expiresAt() {
            return signer.certificate().getNotAfter().toInstant();
          }

          @Override
          public boolean verify(byte[] message, byte[] signature) {
            return false;
          }
        };
    return new Msp() {
      @Override
      public Identity localIdentity() {
        return local;
      }

      @Override
      public byte[] sign(byte[] message) {
        return signer.sign(message);
      }

      @Override
      public Identity validate(Bytes serializedIdentity) throws InvalidIdentityException {
        return real.validate(serializedIdentity);
      }

      @Override
      public void reload() {}

      @Override
      public Optional<TlsCredentials> tlsCredentials() {
        return real.tlsCredentials();
      }

      @Override
      public void close() {}
    };
  }
}
