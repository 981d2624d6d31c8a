package org.ledgergossip.spi.transport;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Scheduler;

/**
 * Settings a {@link TransportProvider} creates a transport with. Immutable; built with {@link
 * #builder()}. Defaults are Fabric's: {@code dialTimeout} 3 s, {@code sendBuffSize} 200, {@code
 * recvBuffSize} 20, {@code peer.maxRecvMsgSize} 100 MiB.
 */
public final class TransportOptions {

  /** Fabric's default maximum message size, {@code peer.maxRecvMsgSize}: 100 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 100 * 1024 * 1024;

  private final int maxFrameSize;
  private final Duration dialTimeout;
  private final int sendQueueSize;
  private final int receiveQueueSize;
  private final @Nullable Scheduler scheduler;
  private final MeterRegistry meterRegistry;
  private final @Nullable TlsCredentials tls;
  private final Map<String, String> properties;

  private TransportOptions(Builder b) {
    this.maxFrameSize = b.maxFrameSize;
    this.dialTimeout = b.dialTimeout;
    this.sendQueueSize = b.sendQueueSize;
    this.receiveQueueSize = b.receiveQueueSize;
    this.scheduler = b.scheduler;
    this.meterRegistry = b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry();
    this.tls = b.tls;
    this.properties = Map.copyOf(b.properties);
  }

  /** A builder with Fabric's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxFrameSize = maxFrameSize;
    b.dialTimeout = dialTimeout;
    b.sendQueueSize = sendQueueSize;
    b.receiveQueueSize = receiveQueueSize;
    b.scheduler = scheduler;
    b.meterRegistry = meterRegistry;
    b.tls = tls;
    b.properties.putAll(properties);
    return b;
  }

  /** Largest frame sent or accepted, in bytes. */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /** How long a dial may take before it fails ({@code peer.gossip.dialTimeout}). */
  public Duration dialTimeout() {
    return dialTimeout;
  }

  /** Frames a connection queues for sending before it drops ({@code peer.gossip.sendBuffSize}). */
  public int sendQueueSize() {
    return sendQueueSize;
  }

  /** Frames a connection holds for its handler ({@code peer.gossip.recvBuffSize}). */
  public int receiveQueueSize() {
    return receiveQueueSize;
  }

  /**
   * A hint: the scheduler a transport runs its timers and deliveries on when it has no event loop
   * of its own; empty means the provider makes its own. A provider may ignore it (the in-memory
   * transport uses its network's scheduler; Netty uses its event loops).
   */
  public Optional<Scheduler> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  /** Where the transport registers its meters (Fabric's names, {@code gossip_comm_*}). */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** TLS material; empty for a transport without TLS. */
  public Optional<TlsCredentials> tls() {
    return Optional.ofNullable(tls);
  }

  /** Provider-specific settings, for example {@code inmemory.network}; sorted, unmodifiable. */
  public Map<String, String> properties() {
    return properties;
  }

  /** A provider-specific setting, if present. */
  public Optional<String> property(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  @Override
  public String toString() {
    return "TransportOptions[maxFrameSize="
        + maxFrameSize
        + ", dialTimeout="
        + dialTimeout
        + ", sendQueueSize="
        + sendQueueSize
        + ", receiveQueueSize="
        + receiveQueueSize
        + ", tls="
        + tls
        + ", properties="
        + new TreeMap<>(properties)
        + "]";
  }

  /** Builds {@link TransportOptions}. Not thread-safe. */
  public static final class Builder {
    private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private Duration dialTimeout = Duration.ofSeconds(3);
    private int sendQueueSize = 200;
    private int receiveQueueSize = 20;
    private @Nullable Scheduler scheduler;
    private @Nullable MeterRegistry meterRegistry;
    private @Nullable TlsCredentials tls;
    private final Map<String, String> properties = new TreeMap<>();

    private Builder() {}

    /** Largest frame in bytes; must be positive. */
    public Builder maxFrameSize(int bytes) {
      this.maxFrameSize = positive(bytes, "maxFrameSize");
      return this;
    }

    /** Dial timeout; must be positive. */
    public Builder dialTimeout(Duration timeout) {
      requireNonNull(timeout, "dialTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("dialTimeout must be positive, was " + timeout);
      }
      this.dialTimeout = timeout;
      return this;
    }

    /** Send queue capacity in frames; must be positive. */
    public Builder sendQueueSize(int frames) {
      this.sendQueueSize = positive(frames, "sendQueueSize");
      return this;
    }

    /** Receive queue capacity in frames; must be positive. */
    public Builder receiveQueueSize(int frames) {
      this.receiveQueueSize = positive(frames, "receiveQueueSize");
      return this;
    }

    /** The scheduler to run on; the caller keeps ownership and closes it. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where to register meters; by default a private {@code SimpleMeterRegistry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "meterRegistry");
      return this;
    }

    /** TLS material. */
    public Builder tls(TlsCredentials credentials) {
      this.tls = requireNonNull(credentials, "tls");
      return this;
    }

    /** Sets a provider-specific setting. */
    public Builder property(String key, String value) {
      properties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** The options. */
    public TransportOptions build() {
      return new TransportOptions(this);
    }

    private static int positive(int value, String name) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
