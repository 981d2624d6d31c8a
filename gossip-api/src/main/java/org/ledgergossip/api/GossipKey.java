package org.ledgergossip.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every configuration key of {@link GossipConfig}: its name in Fabric's {@code core.yaml}, its type
 * and Fabric's default. A configuration loader maps file keys and {@code CORE_*} environment
 * variables onto these; {@link #parse(String)} reads the textual form.
 */
public enum GossipKey {
  /** {@code peer.gossip.bootstrap}: Same-organisation peers contacted at start-up. */
  BOOTSTRAP("peer.gossip.bootstrap", ValueType.ENDPOINT_LIST),
  /** {@code peer.gossip.useLeaderElection}: Dynamic leader election. */
  USE_LEADER_ELECTION("peer.gossip.useLeaderElection", ValueType.BOOLEAN),
  /** {@code peer.gossip.orgLeader}: Static leader: this peer pulls from the ordering service. */
  ORG_LEADER("peer.gossip.orgLeader", ValueType.BOOLEAN),
  /**
   * {@code peer.gossip.membershipTrackerInterval}: How often membership changes are logged and
   * measured.
   */
  MEMBERSHIP_TRACKER_INTERVAL("peer.gossip.membershipTrackerInterval", ValueType.DURATION),
  /** {@code peer.gossip.endpoint}: Internal endpoint override (else {@code peer.address}). */
  ENDPOINT("peer.gossip.endpoint", ValueType.OPTIONAL_ENDPOINT),
  /** {@code peer.gossip.maxBlockCountToStore}: Blocks kept in the in-memory block store window. */
  MAX_BLOCK_COUNT_TO_STORE("peer.gossip.maxBlockCountToStore", ValueType.INT),
  /** {@code peer.gossip.maxPropagationBurstLatency}: Emitter flush period. */
  MAX_PROPAGATION_BURST_LATENCY("peer.gossip.maxPropagationBurstLatency", ValueType.DURATION),
  /** {@code peer.gossip.maxPropagationBurstSize}: Emitter flush size. */
  MAX_PROPAGATION_BURST_SIZE("peer.gossip.maxPropagationBurstSize", ValueType.INT),
  /** {@code peer.gossip.propagateIterations}: Times each message is pushed. */
  PROPAGATE_ITERATIONS("peer.gossip.propagateIterations", ValueType.INT),
  /** {@code peer.gossip.propagatePeerNum}: Push fan-out. */
  PROPAGATE_PEER_NUM("peer.gossip.propagatePeerNum", ValueType.INT),
  /** {@code peer.gossip.pullInterval}: Pull round and membership sync period. */
  PULL_INTERVAL("peer.gossip.pullInterval", ValueType.DURATION),
  /** {@code peer.gossip.pullPeerNum}: Pull and sync fan-out. */
  PULL_PEER_NUM("peer.gossip.pullPeerNum", ValueType.INT),
  /** {@code peer.gossip.requestStateInfoInterval}: StateInfo pull period. */
  REQUEST_STATE_INFO_INTERVAL("peer.gossip.requestStateInfoInterval", ValueType.DURATION),
  /** {@code peer.gossip.publishStateInfoInterval}: StateInfo push period. */
  PUBLISH_STATE_INFO_INTERVAL("peer.gossip.publishStateInfoInterval", ValueType.DURATION),
  /**
   * {@code peer.gossip.publishCertPeriod}: How long after start alive messages carry the
   * certificate.
   */
  PUBLISH_CERT_PERIOD("peer.gossip.publishCertPeriod", ValueType.DURATION),
  /** {@code peer.gossip.dialTimeout}: Dial timeout. */
  DIAL_TIMEOUT("peer.gossip.dialTimeout", ValueType.DURATION),
  /** {@code peer.gossip.connTimeout}: Handshake read timeout. */
  CONN_TIMEOUT("peer.gossip.connTimeout", ValueType.DURATION),
  /** {@code peer.gossip.recvBuffSize}: Per-connection receive queue, in messages. */
  RECV_BUFF_SIZE("peer.gossip.recvBuffSize", ValueType.INT),
  /** {@code peer.gossip.sendBuffSize}: Per-connection send queue, in messages. */
  SEND_BUFF_SIZE("peer.gossip.sendBuffSize", ValueType.INT),
  /** {@code peer.gossip.digestWaitTime}: Pull: wait for digests after a hello. */
  DIGEST_WAIT_TIME("peer.gossip.digestWaitTime", ValueType.DURATION),
  /** {@code peer.gossip.requestWaitTime}: Pull: requests accepted for this long after a digest. */
  REQUEST_WAIT_TIME("peer.gossip.requestWaitTime", ValueType.DURATION),
  /**
   * {@code peer.gossip.responseWaitTime}: Pull: responses accepted for this long after a request.
   */
  RESPONSE_WAIT_TIME("peer.gossip.responseWaitTime", ValueType.DURATION),
  /** {@code peer.gossip.aliveTimeInterval}: Alive message (heartbeat) period. */
  ALIVE_TIME_INTERVAL("peer.gossip.aliveTimeInterval", ValueType.DURATION),
  /** {@code peer.gossip.aliveExpirationTimeout}: Silence after which a peer is dead. */
  ALIVE_EXPIRATION_TIMEOUT("peer.gossip.aliveExpirationTimeout", ValueType.DURATION),
  /** {@code peer.gossip.reconnectInterval}: Dead-peer probing period. */
  RECONNECT_INTERVAL("peer.gossip.reconnectInterval", ValueType.DURATION),
  /** {@code peer.gossip.maxConnectionAttempts}: Connect retries to bootstrap peers. */
  MAX_CONNECTION_ATTEMPTS("peer.gossip.maxConnectionAttempts", ValueType.INT),
  /**
   * {@code peer.gossip.msgExpirationFactor}: Dead peers are purged after this many alive expiration
   * timeouts.
   */
  MSG_EXPIRATION_FACTOR("peer.gossip.msgExpirationFactor", ValueType.INT),
  /**
   * {@code peer.gossip.externalEndpoint}: Endpoint advertised to other organisations; empty keeps
   * this peer invisible to them.
   */
  EXTERNAL_ENDPOINT("peer.gossip.externalEndpoint", ValueType.OPTIONAL_ENDPOINT),
  /**
   * {@code peer.gossip.election.startupGracePeriod}: Election: wait for membership to settle at
   * start-up.
   */
  ELECTION_STARTUP_GRACE_PERIOD("peer.gossip.election.startupGracePeriod", ValueType.DURATION),
  /**
   * {@code peer.gossip.election.membershipSampleInterval}: Election: membership sampling period
   * during start-up.
   */
  ELECTION_MEMBERSHIP_SAMPLE_INTERVAL(
      "peer.gossip.election.membershipSampleInterval", ValueType.DURATION),
  /**
   * {@code peer.gossip.election.leaderAliveThreshold}: Election: silence of the leader after which
   * a new election starts.
   */
  ELECTION_LEADER_ALIVE_THRESHOLD("peer.gossip.election.leaderAliveThreshold", ValueType.DURATION),
  /**
   * {@code peer.gossip.election.leaderElectionDuration}: Election: how long a proposal round lasts.
   */
  ELECTION_LEADER_ELECTION_DURATION(
      "peer.gossip.election.leaderElectionDuration", ValueType.DURATION),
  /**
   * {@code peer.gossip.state.enabled}: Anti-entropy state transfer (Fabric 3 defaults to false; we
   * to true).
   */
  STATE_ENABLED("peer.gossip.state.enabled", ValueType.BOOLEAN),
  /** {@code peer.gossip.state.checkInterval}: State transfer: how often heights are compared. */
  STATE_CHECK_INTERVAL("peer.gossip.state.checkInterval", ValueType.DURATION),
  /** {@code peer.gossip.state.responseTimeout}: State transfer: wait for a range response. */
  STATE_RESPONSE_TIMEOUT("peer.gossip.state.responseTimeout", ValueType.DURATION),
  /** {@code peer.gossip.state.batchSize}: State transfer: blocks per request. */
  STATE_BATCH_SIZE("peer.gossip.state.batchSize", ValueType.INT),
  /**
   * {@code peer.gossip.state.blockBufferSize}: Payload buffer: blocks ahead of the ledger height
   * kept for in-order commit.
   */
  STATE_BLOCK_BUFFER_SIZE("peer.gossip.state.blockBufferSize", ValueType.INT),
  /** {@code peer.gossip.state.maxRetries}: State transfer: retries per range. */
  STATE_MAX_RETRIES("peer.gossip.state.maxRetries", ValueType.INT),
  /**
   * {@code peer.deliveryclient.blockGossipEnabled}: The leader gossips the blocks it pulls (Fabric
   * 3 defaults to false; we to true).
   */
  BLOCK_GOSSIP_ENABLED("peer.deliveryclient.blockGossipEnabled", ValueType.BOOLEAN),
  /**
   * {@code peer.maxRecvMsgSize}: Largest message accepted, in bytes (Fabric's gRPC limit, 100 MiB).
   */
  MAX_RECV_MSG_SIZE("peer.maxRecvMsgSize", ValueType.INT);

  private static final Map<String, GossipKey> BY_NAME =
      Stream.of(values())
          .collect(Collectors.toUnmodifiableMap(GossipKey::key, Function.identity()));

  private final String key;
  private final ValueType type;

  GossipKey(String key, ValueType type) {
    this.key = key;
    this.type = type;
  }

  /** The key as written in {@code core.yaml}, for example {@code peer.gossip.pullInterval}. */
  public String key() {
    return key;
  }

  /** The type of the key's values. */
  public ValueType type() {
    return type;
  }

  /**
   * The environment variable that overrides this key, as in Fabric: {@code CORE_} and the key
   * upper-cased with dots turned into underscores ({@code CORE_PEER_GOSSIP_PULLINTERVAL}).
   */
  public String environmentVariable() {
    return "CORE_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }

  /** Fabric's default for this key. */
  public Object defaultValue() {
    return GossipConfig.defaults().get(this);
  }

  /** The key named {@code key} ({@code peer.gossip.pullInterval}), if there is one. */
  public static Optional<GossipKey> byKey(String key) {
    return Optional.ofNullable(BY_NAME.get(key));
  }

  /**
   * Parses the textual form of a value of this key: {@code true/false}, a decimal integer, a
   * duration as Fabric writes it ({@code 4s}, {@code 1500ms}, {@code 1m30s}, {@code 2h}), an
   * endpoint {@code host:port} (empty for none), or endpoints separated by whitespace or commas.
   *
   * @throws IllegalArgumentException naming the key, the value and why it is not valid
   */
  public Object parse(String text) {
    try {
      return type.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " = '" + text + "': " + e.getMessage(), e);
    }
  }

  /** The types of configuration values. */
  public enum ValueType {
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A positive duration. */
    DURATION,
    /** A positive integer. */
    INT,
    /** A list of endpoints, possibly empty. */
    ENDPOINT_LIST,
    /** An endpoint, or none. */
    OPTIONAL_ENDPOINT;

    Object parse(String text) {
      return switch (this) {
        case BOOLEAN -> {
          if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            yield Boolean.parseBoolean(text);
          }
          throw new IllegalArgumentException("expected true or false");
        }
        case DURATION -> Durations.parse(text);
        case INT -> {
          try {
            yield Integer.parseInt(text);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer", e);
          }
        }
        case ENDPOINT_LIST ->
            text.isEmpty()
                ? List.of()
                : Stream.of(text.split("[\\s,]+"))
                    .filter(s -> !s.isEmpty())
                    .map(Endpoint::parse)
                    .collect(Collectors.toUnmodifiableList());
        case OPTIONAL_ENDPOINT ->
            text.isEmpty() ? Optional.empty() : Optional.of(Endpoint.parse(text));
      };
    }

    /** True if {@code value} is an instance of this type. */
    boolean accepts(Object value) {
      return switch (this) {
        case BOOLEAN -> value instanceof Boolean;
        case DURATION -> value instanceof Duration;
        case INT -> value instanceof Integer;
        case ENDPOINT_LIST ->
            value instanceof List<?> l && l.stream().allMatch(Endpoint.class::isInstance);
        case OPTIONAL_ENDPOINT ->
            value instanceof Optional<?> o && o.map(Endpoint.class::isInstance).orElse(true);
      };
    }
  }
}
