package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgergossip.spi.election.ElectionSettings;

/**
 * The gossip settings of one peer: every {@code peer.gossip.*} key of Fabric with Fabric's default
 * (see {@link GossipKey}). Immutable and thread-safe; built with {@link #builder()}.
 *
 * <p>{@link Builder#build()} validates the whole configuration at once and reports every problem in
 * one {@link InvalidConfigException}, one line per problem naming the key, the value and why.
 * Unlike Fabric, a zero or negative duration or count is an error rather than a silent "use the
 * default": leave the key out to get the default.
 */
public final class GossipConfig {

  private static final GossipConfig DEFAULTS = new Builder().buildUnchecked();

  private final Map<GossipKey, Object> values;
  private final List<String> warnings;

  private GossipConfig(Map<GossipKey, Object> values, List<String> warnings) {
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    this.warnings = List.copyOf(warnings);
  }

  /** A builder holding Fabric's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration with every default. */
  public static GossipConfig defaults() {
    return DEFAULTS;
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    return b;
  }

  /** The value of {@code key}, of the Java type its {@link GossipKey#type()} names. */
  public Object get(GossipKey key) {
    return values.get(requireNonNull(key, "key"));
  }

  /**
   * Legal but probably unintended settings, one sentence each naming the keys (for example both
   * leader flags false): the caller logs them at start-up.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** The election settings, as the election SPI takes them. */
  public ElectionSettings electionSettings() {
    return new ElectionSettings(
        useLeaderElection(),
        orgLeader(),
        electionStartupGracePeriod(),
        electionMembershipSampleInterval(),
        electionLeaderAliveThreshold(),
        electionLeaderElectionDuration());
  }

  /** {@code peer.gossip.bootstrap}: Same-organisation peers contacted at start-up. */
  @SuppressWarnings("unchecked") // checked by ValueType.accepts on every put
  public List<Endpoint> bootstrap() {
    return (List<Endpoint>) values.get(GossipKey.BOOTSTRAP);
  }

  /** {@code peer.gossip.useLeaderElection}: Dynamic leader election. */
  public boolean useLeaderElection() {
    return (Boolean) values.get(GossipKey.USE_LEADER_ELECTION);
  }

  /** {@code peer.gossip.orgLeader}: Static leader: this peer pulls from the ordering service. */
  public boolean orgLeader() {
    return (Boolean) values.get(GossipKey.ORG_LEADER);
  }

  /**
   * {@code peer.gossip.membershipTrackerInterval}: How often membership changes are logged and
   * measured.
   */
  public Duration membershipTrackerInterval() {
    return (Duration) values.get(GossipKey.MEMBERSHIP_TRACKER_INTERVAL);
  }

  /** {@code peer.gossip.endpoint}: Internal endpoint override (else {@code peer.address}). */
  @SuppressWarnings("unchecked") // checked by ValueType.accepts on every put
  public Optional<Endpoint> endpoint() {
    return (Optional<Endpoint>) values.get(GossipKey.ENDPOINT);
  }

  /** {@code peer.gossip.maxBlockCountToStore}: Blocks kept in the in-memory block store window. */
  public int maxBlockCountToStore() {
    return (Integer) values.get(GossipKey.MAX_BLOCK_COUNT_TO_STORE);
  }

  /** {@code peer.gossip.maxPropagationBurstLatency}: Emitter flush period. */
  public Duration maxPropagationBurstLatency() {
    return (Duration) values.get(GossipKey.MAX_PROPAGATION_BURST_LATENCY);
  }

  /** {@code peer.gossip.maxPropagationBurstSize}: Emitter flush size. */
  public int maxPropagationBurstSize() {
    return (Integer) values.get(GossipKey.MAX_PROPAGATION_BURST_SIZE);
  }

  /** {@code peer.gossip.propagateIterations}: Times each message is pushed. */
  public int propagateIterations() {
    return (Integer) values.get(GossipKey.PROPAGATE_ITERATIONS);
  }

  /** {@code peer.gossip.propagatePeerNum}: Push fan-out. */
  public int propagatePeerNum() {
    return (Integer) values.get(GossipKey.PROPAGATE_PEER_NUM);
  }

  /** {@code peer.gossip.pullInterval}: Pull round and membership sync period. */
  public Duration pullInterval() {
    return (Duration) values.get(GossipKey.PULL_INTERVAL);
  }

  /** {@code peer.gossip.pullPeerNum}: Pull and sync fan-out. */
  public int pullPeerNum() {
    return (Integer) values.get(GossipKey.PULL_PEER_NUM);
  }

  /** {@code peer.gossip.requestStateInfoInterval}: StateInfo pull period. */
  public Duration requestStateInfoInterval() {
    return (Duration) values.get(GossipKey.REQUEST_STATE_INFO_INTERVAL);
  }

  /** {@code peer.gossip.publishStateInfoInterval}: StateInfo push period. */
  public Duration publishStateInfoInterval() {
    return (Duration) values.get(GossipKey.PUBLISH_STATE_INFO_INTERVAL);
  }

  /**
   * {@code peer.gossip.publishCertPeriod}: How long after start alive messages carry the
   * certificate.
   */
  public Duration publishCertPeriod() {
    return (Duration) values.get(GossipKey.PUBLISH_CERT_PERIOD);
  }

  /** {@code peer.gossip.dialTimeout}: Dial timeout. */
  public Duration dialTimeout() {
    return (Duration) values.get(GossipKey.DIAL_TIMEOUT);
  }

  /** {@code peer.gossip.connTimeout}: Handshake read timeout. */
  public Duration connTimeout() {
    return (Duration) values.get(GossipKey.CONN_TIMEOUT);
  }

  /** {@code peer.gossip.recvBuffSize}: Per-connection receive queue, in messages. */
  public int recvBuffSize() {
    return (Integer) values.get(GossipKey.RECV_BUFF_SIZE);
  }

  /** {@code peer.gossip.sendBuffSize}: Per-connection send queue, in messages. */
  public int sendBuffSize() {
    return (Integer) values.get(GossipKey.SEND_BUFF_SIZE);
  }

  /** {@code peer.gossip.digestWaitTime}: Pull: wait for digests after a hello. */
  public Duration digestWaitTime() {
    return (Duration) values.get(GossipKey.DIGEST_WAIT_TIME);
  }

  /** {@code peer.gossip.requestWaitTime}: Pull: requests accepted for this long after a digest. */
  public Duration requestWaitTime() {
    return (Duration) values.get(GossipKey.REQUEST_WAIT_TIME);
  }

  /**
   * {@code peer.gossip.responseWaitTime}: Pull: responses accepted for this long after a request.
   */
  public Duration responseWaitTime() {
    return (Duration) values.get(GossipKey.RESPONSE_WAIT_TIME);
  }

  /** {@code peer.gossip.aliveTimeInterval}: Alive message (heartbeat) period. */
  public Duration aliveTimeInterval() {
    return (Duration) values.get(GossipKey.ALIVE_TIME_INTERVAL);
  }

  /** {@code peer.gossip.aliveExpirationTimeout}: Silence after which a peer is dead. */
  public Duration aliveExpirationTimeout() {
    return (Duration) values.get(GossipKey.ALIVE_EXPIRATION_TIMEOUT);
  }

  /** {@code peer.gossip.reconnectInterval}: Dead-peer probing period. */
  public Duration reconnectInterval() {
    return (Duration) values.get(GossipKey.RECONNECT_INTERVAL);
  }

  /** {@code peer.gossip.maxConnectionAttempts}: Connect retries to bootstrap peers. */
  public int maxConnectionAttempts() {
    return (Integer) values.get(GossipKey.MAX_CONNECTION_ATTEMPTS);
  }

  /**
   * {@code peer.gossip.msgExpirationFactor}: Dead peers are purged after this many alive expiration
   * timeouts.
   */
  public int msgExpirationFactor() {
    return (Integer) values.get(GossipKey.MSG_EXPIRATION_FACTOR);
  }

  /**
   * {@code peer.gossip.externalEndpoint}: Endpoint advertised to other organisations; empty keeps
   * this peer invisible to them.
   */
  @SuppressWarnings("unchecked") // checked by ValueType.accepts on every put
  public Optional<Endpoint> externalEndpoint() {
    return (Optional<Endpoint>) values.get(GossipKey.EXTERNAL_ENDPOINT);
  }

  /**
   * {@code peer.gossip.election.startupGracePeriod}: Election: wait for membership to settle at
   * start-up.
   */
  public Duration electionStartupGracePeriod() {
    return (Duration) values.get(GossipKey.ELECTION_STARTUP_GRACE_PERIOD);
  }

  /**
   * {@code peer.gossip.election.membershipSampleInterval}: Election: membership sampling period
   * during start-up.
   */
  public Duration electionMembershipSampleInterval() {
    return (Duration) values.get(GossipKey.ELECTION_MEMBERSHIP_SAMPLE_INTERVAL);
  }

  /**
   * {@code peer.gossip.election.leaderAliveThreshold}: Election: silence of the leader after which
   * a new election starts.
   */
  public Duration electionLeaderAliveThreshold() {
    return (Duration) values.get(GossipKey.ELECTION_LEADER_ALIVE_THRESHOLD);
  }

  /**
   * {@code peer.gossip.election.leaderElectionDuration}: Election: how long a proposal round lasts.
   */
  public Duration electionLeaderElectionDuration() {
    return (Duration) values.get(GossipKey.ELECTION_LEADER_ELECTION_DURATION);
  }

  /**
   * {@code peer.gossip.state.enabled}: Anti-entropy state transfer (Fabric 3 defaults to false; we
   * to true).
   */
  public boolean stateEnabled() {
    return (Boolean) values.get(GossipKey.STATE_ENABLED);
  }

  /** {@code peer.gossip.state.checkInterval}: State transfer: how often heights are compared. */
  public Duration stateCheckInterval() {
    return (Duration) values.get(GossipKey.STATE_CHECK_INTERVAL);
  }

  /** {@code peer.gossip.state.responseTimeout}: State transfer: wait for a range response. */
  public Duration stateResponseTimeout() {
    return (Duration) values.get(GossipKey.STATE_RESPONSE_TIMEOUT);
  }

  /** {@code peer.gossip.state.batchSize}: State transfer: blocks per request. */
  public int stateBatchSize() {
    return (Integer) values.get(GossipKey.STATE_BATCH_SIZE);
  }

  /**
   * {@code peer.gossip.state.blockBufferSize}: Payload buffer: blocks ahead of the ledger height
   * kept for in-order commit.
   */
  public int stateBlockBufferSize() {
    return (Integer) values.get(GossipKey.STATE_BLOCK_BUFFER_SIZE);
  }

  /** {@code peer.gossip.state.maxRetries}: State transfer: retries per range. */
  public int stateMaxRetries() {
    return (Integer) values.get(GossipKey.STATE_MAX_RETRIES);
  }

  /**
   * {@code peer.deliveryclient.blockGossipEnabled}: The leader gossips the blocks it pulls (Fabric
   * 3 defaults to false; we to true).
   */
  public boolean blockGossipEnabled() {
    return (Boolean) values.get(GossipKey.BLOCK_GOSSIP_ENABLED);
  }

  /**
   * {@code peer.maxRecvMsgSize}: Largest message accepted, in bytes (Fabric's gRPC limit, 100 MiB).
   */
  public int maxRecvMsgSize() {
    return (Integer) values.get(GossipKey.MAX_RECV_MSG_SIZE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GossipConfig other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Every key with its value, one per line. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("GossipConfig[");
    values.forEach((k, v) -> sb.append("\n  ").append(k.key()).append(" = ").append(format(v)));
    return sb.append("\n]").toString();
  }

  static String format(Object value) {
    if (value instanceof Optional<?> o) {
      return o.map(Object::toString).orElse("");
    }
    if (value instanceof Duration d) {
      return Durations.format(d);
    }
    if (value instanceof List<?> l) {
      return String.join(",", l.stream().map(Object::toString).toList());
    }
    return String.valueOf(value);
  }

  /** Builds a {@link GossipConfig}. Not thread-safe. */
  public static final class Builder {
    private final Map<GossipKey, Object> values = new EnumMap<>(GossipKey.class);

    private Builder() {

      values.put(GossipKey.BOOTSTRAP, List.of(new Endpoint("127.0.0.1", 7051)));
      values.put(GossipKey.USE_LEADER_ELECTION, false);
      values.put(GossipKey.ORG_LEADER, true);
      values.put(GossipKey.MEMBERSHIP_TRACKER_INTERVAL, Duration.ofSeconds(5));
      values.put(GossipKey.ENDPOINT, Optional.empty());
      values.put(GossipKey.MAX_BLOCK_COUNT_TO_STORE, 10);
      values.put(GossipKey.MAX_PROPAGATION_BURST_LATENCY, Duration.ofMillis(10));
      values.put(GossipKey.MAX_PROPAGATION_BURST_SIZE, 10);
      values.put(GossipKey.PROPAGATE_ITERATIONS, 1);
      values.put(GossipKey.PROPAGATE_PEER_NUM, 3);
      values.put(GossipKey.PULL_INTERVAL, Duration.ofSeconds(4));
      values.put(GossipKey.PULL_PEER_NUM, 3);
      values.put(GossipKey.REQUEST_STATE_INFO_INTERVAL, Duration.ofSeconds(4));
      values.put(GossipKey.PUBLISH_STATE_INFO_INTERVAL, Duration.ofSeconds(4));
      values.put(GossipKey.PUBLISH_CERT_PERIOD, Duration.ofSeconds(10));
      values.put(GossipKey.DIAL_TIMEOUT, Duration.ofSeconds(3));
      values.put(GossipKey.CONN_TIMEOUT, Duration.ofSeconds(2));
      values.put(GossipKey.RECV_BUFF_SIZE, 20);
      values.put(GossipKey.SEND_BUFF_SIZE, 200);
      values.put(GossipKey.DIGEST_WAIT_TIME, Duration.ofSeconds(1));
      values.put(GossipKey.REQUEST_WAIT_TIME, Duration.ofMillis(1500));
      values.put(GossipKey.RESPONSE_WAIT_TIME, Duration.ofSeconds(2));
      values.put(GossipKey.ALIVE_TIME_INTERVAL, Duration.ofSeconds(5));
      values.put(GossipKey.ALIVE_EXPIRATION_TIMEOUT, Duration.ofSeconds(25));
      values.put(GossipKey.RECONNECT_INTERVAL, Duration.ofSeconds(25));
      values.put(GossipKey.MAX_CONNECTION_ATTEMPTS, 120);
      values.put(GossipKey.MSG_EXPIRATION_FACTOR, 20);
      values.put(GossipKey.EXTERNAL_ENDPOINT, Optional.empty());
      values.put(GossipKey.ELECTION_STARTUP_GRACE_PERIOD, Duration.ofSeconds(15));
      values.put(GossipKey.ELECTION_MEMBERSHIP_SAMPLE_INTERVAL, Duration.ofSeconds(1));
      values.put(GossipKey.ELECTION_LEADER_ALIVE_THRESHOLD, Duration.ofSeconds(10));
      values.put(GossipKey.ELECTION_LEADER_ELECTION_DURATION, Duration.ofSeconds(5));
      values.put(GossipKey.STATE_ENABLED, true);
      values.put(GossipKey.STATE_CHECK_INTERVAL, Duration.ofSeconds(10));
      values.put(GossipKey.STATE_RESPONSE_TIMEOUT, Duration.ofSeconds(3));
      values.put(GossipKey.STATE_BATCH_SIZE, 10);
      values.put(GossipKey.STATE_BLOCK_BUFFER_SIZE, 20);
      values.put(GossipKey.STATE_MAX_RETRIES, 3);
      values.put(GossipKey.BLOCK_GOSSIP_ENABLED, true);
      values.put(GossipKey.MAX_RECV_MSG_SIZE, 100 * 1024 * 1024);
    }

    /**
     * Sets {@code key} to {@code value}, which must be of the key's type ({@code Boolean}, {@code
     * Integer}, {@code Duration}, {@code List<Endpoint>}, {@code Optional<Endpoint>}). Range checks
     * happen in {@link #build()}.
     *
     * @throws IllegalArgumentException if the value has the wrong type
     */
    public Builder set(GossipKey key, Object value) {
      requireNonNull(key, "key");
      requireNonNull(value, "value");
      Object v = value instanceof List<?> l ? List.copyOf(l) : value;
      if (!key.type().accepts(v)) {
        throw new IllegalArgumentException(
            key.key() + ": a value of type " + key.type() + " is needed, not " + value);
      }
      values.put(key, v);
      return this;
    }

    /**
     * Sets {@code key} from its textual form (see {@link GossipKey#parse}).
     *
     * @throws IllegalArgumentException naming the key and value if the text does not parse
     */
    public Builder parse(GossipKey key, String text) {
      return set(key, key.parse(requireNonNull(text, "text")));
    }

    /** Sets {@code peer.gossip.bootstrap}. Same-organisation peers contacted at start-up. */
    public Builder bootstrap(List<Endpoint> value) {
      return set(GossipKey.BOOTSTRAP, value);
    }

    /** Sets {@code peer.gossip.useLeaderElection}. Dynamic leader election. */
    public Builder useLeaderElection(boolean value) {
      return set(GossipKey.USE_LEADER_ELECTION, value);
    }

    /**
     * Sets {@code peer.gossip.orgLeader}. Static leader: this peer pulls from the ordering service.
     */
    public Builder orgLeader(boolean value) {
      return set(GossipKey.ORG_LEADER, value);
    }

    /**
     * Sets {@code peer.gossip.membershipTrackerInterval}. How often membership changes are logged
     * and measured.
     */
    public Builder membershipTrackerInterval(Duration value) {
      return set(GossipKey.MEMBERSHIP_TRACKER_INTERVAL, value);
    }

    /**
     * Sets {@code peer.gossip.endpoint}; null clears it. Internal endpoint override (else {@code
     * peer.address}).
     */
    public Builder endpoint(@org.jspecify.annotations.Nullable Endpoint value) {
      return set(GossipKey.ENDPOINT, Optional.ofNullable(value));
    }

    /**
     * Sets {@code peer.gossip.maxBlockCountToStore}. Blocks kept in the in-memory block store
     * window.
     */
    public Builder maxBlockCountToStore(int value) {
      return set(GossipKey.MAX_BLOCK_COUNT_TO_STORE, value);
    }

    /** Sets {@code peer.gossip.maxPropagationBurstLatency}. Emitter flush period. */
    public Builder maxPropagationBurstLatency(Duration value) {
      return set(GossipKey.MAX_PROPAGATION_BURST_LATENCY, value);
    }

    /** Sets {@code peer.gossip.maxPropagationBurstSize}. Emitter flush size. */
    public Builder maxPropagationBurstSize(int value) {
      return set(GossipKey.MAX_PROPAGATION_BURST_SIZE, value);
    }

    /** Sets {@code peer.gossip.propagateIterations}. Times each message is pushed. */
    public Builder propagateIterations(int value) {
      return set(GossipKey.PROPAGATE_ITERATIONS, value);
    }

    /** Sets {@code peer.gossip.propagatePeerNum}. Push fan-out. */
    public Builder propagatePeerNum(int value) {
      return set(GossipKey.PROPAGATE_PEER_NUM, value);
    }

    /** Sets {@code peer.gossip.pullInterval}. Pull round and membership sync period. */
    public Builder pullInterval(Duration value) {
      return set(GossipKey.PULL_INTERVAL, value);
    }

    /** Sets {@code peer.gossip.pullPeerNum}. Pull and sync fan-out. */
    public Builder pullPeerNum(int value) {
      return set(GossipKey.PULL_PEER_NUM, value);
    }

    /** Sets {@code peer.gossip.requestStateInfoInterval}. StateInfo pull period. */
    public Builder requestStateInfoInterval(Duration value) {
      return set(GossipKey.REQUEST_STATE_INFO_INTERVAL, value);
    }

    /** Sets {@code peer.gossip.publishStateInfoInterval}. StateInfo push period. */
    public Builder publishStateInfoInterval(Duration value) {
      return set(GossipKey.PUBLISH_STATE_INFO_INTERVAL, value);
    }

    /**
     * Sets {@code peer.gossip.publishCertPeriod}. How long after start alive messages carry the
     * certificate.
     */
    public Builder publishCertPeriod(Duration value) {
      return set(GossipKey.PUBLISH_CERT_PERIOD, value);
    }

    /** Sets {@code peer.gossip.dialTimeout}. Dial timeout. */
    public Builder dialTimeout(Duration value) {
      return set(GossipKey.DIAL_TIMEOUT, value);
    }

    /** Sets {@code peer.gossip.connTimeout}. Handshake read timeout. */
    public Builder connTimeout(Duration value) {
      return set(GossipKey.CONN_TIMEOUT, value);
    }

    /** Sets {@code peer.gossip.recvBuffSize}. Per-connection receive queue, in messages. */
    public Builder recvBuffSize(int value) {
      return set(GossipKey.RECV_BUFF_SIZE, value);
    }

    /** Sets {@code peer.gossip.sendBuffSize}. Per-connection send queue, in messages. */
    public Builder sendBuffSize(int value) {
      return set(GossipKey.SEND_BUFF_SIZE, value);
    }

    /** Sets {@code peer.gossip.digestWaitTime}. Pull: wait for digests after a hello. */
    public Builder digestWaitTime(Duration value) {
      return set(GossipKey.DIGEST_WAIT_TIME, value);
    }

    /**
     * Sets {@code peer.gossip.requestWaitTime}. Pull: requests accepted for this long after a
     * digest.
     */
    public Builder requestWaitTime(Duration value) {
      return set(GossipKey.REQUEST_WAIT_TIME, value);
    }

    /**
     * Sets {@code peer.gossip.responseWaitTime}. Pull: responses accepted for this long after a
     * request.
     */
    public Builder responseWaitTime(Duration value) {
      return set(GossipKey.RESPONSE_WAIT_TIME, value);
    }

    /** Sets {@code peer.gossip.aliveTimeInterval}. Alive message (heartbeat) period. */
    public Builder aliveTimeInterval(Duration value) {
      return set(GossipKey.ALIVE_TIME_INTERVAL, value);
    }

    /** Sets {@code peer.gossip.aliveExpirationTimeout}. Silence after which a peer is dead. */
    public Builder aliveExpirationTimeout(Duration value) {
      return set(GossipKey.ALIVE_EXPIRATION_TIMEOUT, value);
    }

    /** Sets {@code peer.gossip.reconnectInterval}. Dead-peer probing period. */
    public Builder reconnectInterval(Duration value) {
      return set(GossipKey.RECONNECT_INTERVAL, value);
    }

    /** Sets {@code peer.gossip.maxConnectionAttempts}. Connect retries to bootstrap peers. */
    public Builder maxConnectionAttempts(int value) {
      return set(GossipKey.MAX_CONNECTION_ATTEMPTS, value);
    }

    /**
     * Sets {@code peer.gossip.msgExpirationFactor}. Dead peers are purged after this many alive
     * expiration timeouts.
     */
    public Builder msgExpirationFactor(int value) {
      return set(GossipKey.MSG_EXPIRATION_FACTOR, value);
    }

    /**
     * Sets {@code peer.gossip.externalEndpoint}; null clears it. Endpoint advertised to other
     * organisations; empty keeps this peer invisible to them.
     */
    public Builder externalEndpoint(@org.jspecify.annotations.Nullable Endpoint value) {
      return set(GossipKey.EXTERNAL_ENDPOINT, Optional.ofNullable(value));
    }

    /**
     * Sets {@code peer.gossip.election.startupGracePeriod}. Election: wait for membership to settle
     * at start-up.
     */
    public Builder electionStartupGracePeriod(Duration value) {
      return set(GossipKey.ELECTION_STARTUP_GRACE_PERIOD, value);
    }

    /**
     * Sets {@code peer.gossip.election.membershipSampleInterval}. Election: membership sampling
     * period during start-up.
     */
    public Builder electionMembershipSampleInterval(Duration value) {
      return set(GossipKey.ELECTION_MEMBERSHIP_SAMPLE_INTERVAL, value);
    }

    /**
     * Sets {@code peer.gossip.election.leaderAliveThreshold}. Election: silence of the leader after
     * which a new election starts.
     */
    public Builder electionLeaderAliveThreshold(Duration value) {
      return set(GossipKey.ELECTION_LEADER_ALIVE_THRESHOLD, value);
    }

    /**
     * Sets {@code peer.gossip.election.leaderElectionDuration}. Election: how long a proposal round
     * lasts.
     */
    public Builder electionLeaderElectionDuration(Duration value) {
      return set(GossipKey.ELECTION_LEADER_ELECTION_DURATION, value);
    }

    /**
     * Sets {@code peer.gossip.state.enabled}. Anti-entropy state transfer (Fabric 3 defaults to
     * false; we to true).
     */
    public Builder stateEnabled(boolean value) {
      return set(GossipKey.STATE_ENABLED, value);
    }

    /**
     * Sets {@code peer.gossip.state.checkInterval}. State transfer: how often heights are compared.
     */
    public Builder stateCheckInterval(Duration value) {
      return set(GossipKey.STATE_CHECK_INTERVAL, value);
    }

    /**
     * Sets {@code peer.gossip.state.responseTimeout}. State transfer: wait for a range response.
     */
    public Builder stateResponseTimeout(Duration value) {
      return set(GossipKey.STATE_RESPONSE_TIMEOUT, value);
    }

    /** Sets {@code peer.gossip.state.batchSize}. State transfer: blocks per request. */
    public Builder stateBatchSize(int value) {
      return set(GossipKey.STATE_BATCH_SIZE, value);
    }

    /**
     * Sets {@code peer.gossip.state.blockBufferSize}. Payload buffer: blocks ahead of the ledger
     * height kept for in-order commit.
     */
    public Builder stateBlockBufferSize(int value) {
      return set(GossipKey.STATE_BLOCK_BUFFER_SIZE, value);
    }

    /** Sets {@code peer.gossip.state.maxRetries}. State transfer: retries per range. */
    public Builder stateMaxRetries(int value) {
      return set(GossipKey.STATE_MAX_RETRIES, value);
    }

    /**
     * Sets {@code peer.deliveryclient.blockGossipEnabled}. The leader gossips the blocks it pulls
     * (Fabric 3 defaults to false; we to true).
     */
    public Builder blockGossipEnabled(boolean value) {
      return set(GossipKey.BLOCK_GOSSIP_ENABLED, value);
    }

    /**
     * Sets {@code peer.maxRecvMsgSize}. Largest message accepted, in bytes (Fabric's gRPC limit,
     * 100 MiB).
     */
    public Builder maxRecvMsgSize(int value) {
      return set(GossipKey.MAX_RECV_MSG_SIZE, value);
    }

    /**
     * Validates and builds.
     *
     * @throws InvalidConfigException listing every problem found
     */
    public GossipConfig build() {
      List<InvalidConfigException.Problem> problems = ConfigRules.check(values);
      if (!problems.isEmpty()) {
        throw new InvalidConfigException(problems);
      }
      return new GossipConfig(values, ConfigRules.warnings(values));
    }

    private GossipConfig buildUnchecked() {
      return new GossipConfig(values, List.of());
    }
  }
}
