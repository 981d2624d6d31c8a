package org.ledgergossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GossipConfigTest {

  /** Fabric's defaults, key by key, as reference/fabric-gossip.md §8 lists them. */
  private static final Map<String, String> FABRIC_DEFAULTS = new LinkedHashMap<>();

  static {
    FABRIC_DEFAULTS.put("peer.gossip.bootstrap", "127.0.0.1:7051");
    FABRIC_DEFAULTS.put("peer.gossip.useLeaderElection", "false");
    FABRIC_DEFAULTS.put("peer.gossip.orgLeader", "true");
    FABRIC_DEFAULTS.put("peer.gossip.membershipTrackerInterval", "5s");
    FABRIC_DEFAULTS.put("peer.gossip.endpoint", "");
    FABRIC_DEFAULTS.put("peer.gossip.maxBlockCountToStore", "10");
    FABRIC_DEFAULTS.put("peer.gossip.maxPropagationBurstLatency", "10ms");
    FABRIC_DEFAULTS.put("peer.gossip.maxPropagationBurstSize", "10");
    FABRIC_DEFAULTS.put("peer.gossip.propagateIterations", "1");
    FABRIC_DEFAULTS.put("peer.gossip.propagatePeerNum", "3");
    FABRIC_DEFAULTS.put("peer.gossip.pullInterval", "4s");
    FABRIC_DEFAULTS.put("peer.gossip.pullPeerNum", "3");
    FABRIC_DEFAULTS.put("peer.gossip.requestStateInfoInterval", "4s");
    FABRIC_DEFAULTS.put("peer.gossip.publishStateInfoInterval", "4s");
    FABRIC_DEFAULTS.put("peer.gossip.publishCertPeriod", "10s");
    FABRIC_DEFAULTS.put("peer.gossip.dialTimeout", "3s");
    FABRIC_DEFAULTS.put("peer.gossip.connTimeout", "2s");
    FABRIC_DEFAULTS.put("peer.gossip.recvBuffSize", "20");
    FABRIC_DEFAULTS.put("peer.gossip.sendBuffSize", "200");
    FABRIC_DEFAULTS.put("peer.gossip.digestWaitTime", "1s");
    FABRIC_DEFAULTS.put("peer.gossip.requestWaitTime", "1500ms");
    FABRIC_DEFAULTS.put("peer.gossip.responseWaitTime", "2s");
    FABRIC_DEFAULTS.put("peer.gossip.aliveTimeInterval", "5s");
    FABRIC_DEFAULTS.put("peer.gossip.aliveExpirationTimeout", "25s");
    FABRIC_DEFAULTS.put("peer.gossip.reconnectInterval", "25s");
    FABRIC_DEFAULTS.put("peer.gossip.maxConnectionAttempts", "120");
    FABRIC_DEFAULTS.put("peer.gossip.msgExpirationFactor", "20");
    FABRIC_DEFAULTS.put("peer.gossip.externalEndpoint", "");
    FABRIC_DEFAULTS.put("peer.gossip.election.startupGracePeriod", "15s");
    FABRIC_DEFAULTS.put("peer.gossip.election.membershipSampleInterval", "1s");
    FABRIC_DEFAULTS.put("peer.gossip.election.leaderAliveThreshold", "10s");
    FABRIC_DEFAULTS.put("peer.gossip.election.leaderElectionDuration", "5s");
    FABRIC_DEFAULTS.put("peer.gossip.state.enabled", "true");
    FABRIC_DEFAULTS.put("peer.gossip.state.checkInterval", "10s");
    FABRIC_DEFAULTS.put("peer.gossip.state.responseTimeout", "3s");
    FABRIC_DEFAULTS.put("peer.gossip.state.batchSize", "10");
    FABRIC_DEFAULTS.put("peer.gossip.state.blockBufferSize", "20");
    FABRIC_DEFAULTS.put("peer.gossip.state.maxRetries", "3");
    FABRIC_DEFAULTS.put("peer.deliveryclient.blockGossipEnabled", "true");
    FABRIC_DEFAULTS.put("peer.maxRecvMsgSize", "104857600");
  }

  @Test
  void everyKeyHasFabricsDefault() {
    GossipConfig config = GossipConfig.defaults();
    assertThat(GossipKey.values())
        .extracting(GossipKey::key)
        .containsExactlyInAnyOrderElementsOf(FABRIC_DEFAULTS.keySet());
    FABRIC_DEFAULTS.forEach(
        (key, text) -> {
          GossipKey k = GossipKey.byKey(key).orElseThrow();
          assertThat(config.get(k)).as(key).isEqualTo(k.parse(text));
          assertThat(GossipConfig.format(config.get(k))).as(key).isEqualTo(text);
        });
  }

  @Test
  void typedGettersReadTheValues() {
    GossipConfig c =
        GossipConfig.builder()
            .pullInterval(Duration.ofSeconds(2))
            .propagatePeerNum(5)
            .externalEndpoint(Endpoint.parse("peer0.org1:7051"))
            .bootstrap(List.of(Endpoint.parse("a:1"), Endpoint.parse("b:2")))
            .build();
    assertThat(c.pullInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.propagatePeerNum()).isEqualTo(5);
    assertThat(c.externalEndpoint()).contains(new Endpoint("peer0.org1", 7051));
    assertThat(c.bootstrap()).hasSize(2);
    assertThat(c.aliveTimeInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.electionSettings().leaderAliveThreshold()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void bothLeaderFlagsTrueIsRejectedNamingBothKeys() {
    assertThatThrownBy(() -> GossipConfig.builder().useLeaderElection(true).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "peer.gossip.useLeaderElection and peer.gossip.orgLeader are both true: choose one");
  }

  @Test
  void dynamicElectionWithOrgLeaderFalseIsAccepted() {
    GossipConfig c = GossipConfig.builder().useLeaderElection(true).orgLeader(false).build();
    assertThat(c.useLeaderElection()).isTrue();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void bothLeaderFlagsFalseIsAllowedWithAWarningNamingBoth() {
    GossipConfig c = GossipConfig.builder().orgLeader(false).build();
    assertThat(c.warnings())
        .singleElement()
        .asString()
        .contains("peer.gossip.useLeaderElection", "peer.gossip.orgLeader", "both false");
  }

  @Test
  void zeroAndNegativeValuesAreRejectedInsteadOfMeaningDefault() {
    assertThatThrownBy(
            () ->
                GossipConfig.builder()
                    .pullInterval(Duration.ZERO)
                    .propagatePeerNum(0)
                    .sendBuffSize(-1)
                    .build())
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(3);
              assertThat(e.getMessage().lines())
                  .containsExactly(
                      "peer.gossip.propagatePeerNum = 0: must be positive (Fabric reads 0 as"
                          + " \"use the default\"; leave the key out for that)",
                      "peer.gossip.pullInterval = 0s: must be positive (Fabric reads 0 as"
                          + " \"use the default\"; leave the key out for that)",
                      "peer.gossip.sendBuffSize = -1: must be positive (Fabric reads 0 as"
                          + " \"use the default\"; leave the key out for that)");
            });
  }

  @Test
  void aliveExpirationMustExceedAliveInterval() {
    assertThatThrownBy(
            () -> GossipConfig.builder().aliveExpirationTimeout(Duration.ofSeconds(5)).build())
        .hasMessageStartingWith("peer.gossip.aliveExpirationTimeout = 5s: must be longer than")
        .hasMessageContaining("peer.gossip.aliveTimeInterval");
  }

  @Test
  void digestWaitMustBeShorterThanPullInterval() {
    assertThatThrownBy(() -> GossipConfig.builder().digestWaitTime(Duration.ofSeconds(4)).build())
        .hasMessageContaining("peer.gossip.digestWaitTime = 4s")
        .hasMessageContaining("peer.gossip.pullInterval");
  }

  @Test
  void advertisedEndpointNeedsARealPort() {
    assertThatThrownBy(() -> GossipConfig.builder().externalEndpoint(new Endpoint("h", 0)).build())
        .hasMessage("peer.gossip.externalEndpoint = h:0: an advertised endpoint needs a real port");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                GossipConfig.builder()
                    .useLeaderElection(true)
                    .stateBatchSize(0)
                    .dialTimeout(Duration.ofMillis(-1))
                    .build())
        .isInstanceOfSatisfying(
            InvalidConfigException.class, e -> assertThat(e.problems()).hasSize(3));
  }

  @Test
  void setRefusesAValueOfTheWrongType() {
    assertThatThrownBy(() -> GossipConfig.builder().set(GossipKey.PULL_INTERVAL, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("peer.gossip.pullInterval");
  }

  @Test
  void parsesFabricsTextualForms() {
    assertThat(GossipKey.PULL_INTERVAL.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GossipKey.PULL_INTERVAL.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GossipKey.BOOTSTRAP.parse("a:1 b:2,[::1]:3"))
        .isEqualTo(List.of(new Endpoint("a", 1), new Endpoint("b", 2), new Endpoint("::1", 3)));
    assertThat(GossipKey.BOOTSTRAP.parse("")).isEqualTo(List.of());
    assertThat(GossipKey.ENDPOINT.parse("")).isEqualTo(Optional.empty());
    assertThat(GossipKey.ORG_LEADER.parse("FALSE")).isEqualTo(false);
    assertThat(GossipConfig.builder().parse(GossipKey.SEND_BUFF_SIZE, "7").build().sendBuffSize())
        .isEqualTo(7);
  }

  @Test
  void badTextNamesKeyAndValue() {
    assertThatThrownBy(() -> GossipKey.PULL_INTERVAL.parse("4"))
        .hasMessageStartingWith("peer.gossip.pullInterval = '4': expected a duration");
    assertThatThrownBy(() -> GossipKey.ORG_LEADER.parse("yes"))
        .hasMessage("peer.gossip.orgLeader = 'yes': expected true or false");
    assertThatThrownBy(() -> GossipKey.SEND_BUFF_SIZE.parse("lots"))
        .hasMessage("peer.gossip.sendBuffSize = 'lots': expected an integer");
    assertThatThrownBy(() -> GossipKey.BOOTSTRAP.parse("nohost"))
        .hasMessageContaining("peer.gossip.bootstrap")
        .hasMessageContaining("expected host:port");
  }

  @Test
  void environmentVariablesFollowFabricsRule() {
    assertThat(GossipKey.BOOTSTRAP.environmentVariable()).isEqualTo("CORE_PEER_GOSSIP_BOOTSTRAP");
    assertThat(GossipKey.ELECTION_LEADER_ALIVE_THRESHOLD.environmentVariable())
        .isEqualTo("CORE_PEER_GOSSIP_ELECTION_LEADERALIVETHRESHOLD");
  }

  @Test
  void durationsFormatToTheShortestExactForm() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Durations.parse(Durations.format(Duration.ofNanos(1234567))))
        .isEqualTo(Duration.ofNanos(1234567));
  }
}
