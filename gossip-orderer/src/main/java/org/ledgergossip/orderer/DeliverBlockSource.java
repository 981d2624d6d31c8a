package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * See {@link DeliverBlockSourceProvider}. Holds one gRPC channel per orderer endpoint (created on
 * first use, shared by the subscriptions) and the subscriptions. Thread-safe.
 */
final class DeliverBlockSource implements BlockSource {

  private static final Logger LOG = LoggerFactory.getLogger(DeliverBlockSource.class);

  /** Fabric's default largest message a peer receives from an orderer: 100 MiB. */
  static final int MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

  /** Subscriptions per source at most (one per channel is the norm). */
  static final int MAX_SUBSCRIPTIONS = 256;

  final BlockSourceOptions options;
  final Refusals failures;
  final Counter blocksReceived;
  final byte[] tlsCertHash;
  private final Set<String> ordererMspIds;
  private final int requiredSignatures;
  private final @Nullable String authority;
  private final MeterRegistry registry;
  private final ChannelCredentials credentials;
  private final SecureRandom random = new SecureRandom();
  private final Map<Endpoint, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final List<DeliverSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  DeliverBlockSource(
      BlockSourceOptions options,
      Set<String> ordererMspIds,
      int requiredSignatures,
      @Nullable String authority,
      MeterRegistry registry) {
    this.options = requireNonNull(options, "options");
    this.ordererMspIds = Set.copyOf(ordererMspIds);
    this.requiredSignatures = requiredSignatures;
    this.authority = authority;
    this.registry = requireNonNull(registry, "registry");
    this.credentials = GrpcTls.client(options.tls());
    this.tlsCertHash = GrpcTls.certificateHash(options.tls().certificate());
    this.failures =
        new Refusals(
            registry,
            "deliver_client_failures",
            "Failed deliver attempts of the deliver block source, by reason",
            LOG);
    this.blocksReceived =
        Counter.builder("deliver_client_blocks_received")
            .description("Verified blocks received by the deliver block source")
            .register(registry);
  }

  @Override
  public Subscription subscribe(String channel, long fromHeight, Listener listener) {
    requireNonNull(channel, "channel");
    requireNonNull(listener, "listener");
    if (fromHeight < 0) {
      throw new IllegalArgumentException("fromHeight must be >= 0, was " + fromHeight);
    }
    if (closed) {
      throw new IllegalStateException("the block source is closed");
    }
    if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      throw new IllegalStateException(
          "the block source has the maximum of " + MAX_SUBSCRIPTIONS + " subscriptions");
    }
    BlockVerifier verifier =
        BlockVerifier.builder()
            .msp(options.msp())
            .ordererMspIds(ordererMspIds)
            .requiredSignatures(requiredSignatures)
            .channel(channel)
            .clock(options.scheduler().clock())
            .meterRegistry(registry)
            .build();
    DeliverSubscription s = new DeliverSubscription(this, channel, fromHeight, listener, verifier);
    subscriptions.add(s);
    s.start();
    return s;
  }

  /**
   * The gRPC channel to {@code orderer}, created on first use.
   *
   * @throws IllegalStateException if the source is closed
   */
  ManagedChannel channel(Endpoint orderer) {
    if (closed) {
      throw new IllegalStateException("the block source is closed");
    }
    ManagedChannel channel = channels.computeIfAbsent(orderer, this::open);
    if (closed) {
      channel.shutdownNow();
      throw new IllegalStateException("the block source is closed");
    }
    return channel;
  }

  private ManagedChannel open(Endpoint orderer) {
    ManagedChannelBuilder<?> b =
        Grpc.newChannelBuilderForAddress(orderer.host(), orderer.port(), credentials)
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .keepAliveTime(60, TimeUnit.SECONDS)
            .keepAliveTimeout(20, TimeUnit.SECONDS);
    if (authority != null) {
      b.overrideAuthority(authority);
    }
    return b.build();
  }

  byte[] nonce() {
    byte[] nonce = new byte[24];
    synchronized (random) {
      random.nextBytes(nonce);
    }
    return nonce;
  }

  void removed(DeliverSubscription s) {
    subscriptions.remove(s);
  }

  /** Closes every subscription, then the gRPC channels (waiting up to 5 s for them). Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (DeliverSubscription s : subscriptions) {
      s.close();
    }
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
    }
    try {
      for (ManagedChannel c : channels.values()) {
        if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.warn("gRPC channel {} did not terminate within 5 s", c);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channels.clear();
  }

  @Override
  public String toString() {
    return "DeliverBlockSource" + options.orderers();
  }
}
