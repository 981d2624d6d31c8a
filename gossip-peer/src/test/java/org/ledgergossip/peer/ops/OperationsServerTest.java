package org.ledgergossip.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.peer.ops.OpsFixture.CHANNEL;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.peer.ops.OpsFixture.Peer;

/**
 * The operations endpoints over real HTTP, for a peer of three running in virtual time on an
 * in-memory network: peer 0 leads (static) and pulls 20 blocks, peers 1 and 2 follow; the server
 * serves peer 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked") // casts of parsed JSON
class OperationsServerTest {

  private static final Pattern METRIC_LINE =
      Pattern.compile(
          "[a-zA-Z_:][a-zA-Z0-9_:]*"
              + "(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\.)*\""
              + "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\.)*\")*,?)?\\})?"
              + " ([-+]?([0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?|Inf)|NaN)( -?[0-9]+)?");

  private Path dir;

  private OpsFixture fixture;
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Peer leader;
  private Peer served;
  private StatusJson status;
  private OperationsServer server;
  private Http http;

  @BeforeAll
  void startNetworkAndServer(@TempDir Path tmp) throws Exception {
    dir = tmp;
    fixture = new OpsFixture(dir, 3);
    leader = fixture.start(0, OpsFixture.STATIC_LEADER);
    served =
        fixture.start(
            1, OpsFixture.STATIC_FOLLOWER, GossipNode.builder().meterRegistry(prometheus));
    Peer third = fixture.start(2, OpsFixture.STATIC_FOLLOWER);
    status = StatusJson.attach(served.node, served.name, fixture.time.clock());
    fixture.cut(20);
    List<Peer> all = List.of(leader, served, third);
    assertThat(
            fixture.runUntil(
                () ->
                    all.stream().allMatch(p -> p.height() >= 20 && p.node.alivePeers().size() == 2),
                Duration.ofSeconds(60)))
        .as("every peer at height 20 and sees the two others")
        .isTrue();
    server =
        OperationsServer.builder()
            .listen("127.0.0.1:0")
            .healthCheck(HealthChecks.ledgerWritable(served.ledger))
            .healthCheck(HealthChecks.alivePeers(served.node, fixture.time.clock(), Duration.ZERO))
            .healthCheck(
                HealthChecks.orderingService(
                    served.node, fixture.time.clock(), Duration.ofSeconds(10)))
            .metrics(prometheus)
            .status(status::render)
            .clock(fixture.time.clock())
            .start();
    http = new Http(server);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (status != null) {
      status.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void serverBindsAnEphemeralPortWhenPortZeroIsAsked() {
    assertThat(server.port()).isPositive();
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.isTls()).isFalse();
  }

  @Test
  void healthzIs200WithStatusOkAndTimeWhenEveryCheckPasses() throws Exception {
    HttpResponse<String> r = http.get("/healthz");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    Map<String, Object> body = (Map<String, Object>) JsonParser.parse(r.body());
    assertThat(body.keySet()).containsExactly("status", "time");
    assertThat(body.get("status")).isEqualTo("OK");
    assertThat(Instant.parse((String) body.get("time"))).isEqualTo(fixture.time.now());
  }

  @Test
  void healthzIs503WithFailedChecksNamingComponentAndReasonWhenACheckFails() throws Exception {
    Path missing = dir.resolve("no-such-ledger");
    Path notAFolder = Files.writeString(dir.resolve("a-file"), "x");
    try (OperationsServer failing =
        OperationsServer.builder()
            .listen("127.0.0.1:0")
            .healthCheck(HealthCheck.of("fine", Optional::empty))
            .healthCheck(HealthChecks.ledgerWritable(missing))
            .healthCheck(HealthCheck.of("fake", () -> Optional.of("broken \"on purpose\"")))
            .healthCheck(
                HealthCheck.of(
                    "thrower",
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
            .healthCheck(HealthChecks.ledgerWritable(notAFolder))
            .start()) {
      HttpResponse<String> r = new Http(failing).get("/healthz");

      assertThat(r.statusCode()).isEqualTo(503);
      Map<String, Object> body = (Map<String, Object>) JsonParser.parse(r.body());
      assertThat(body.keySet()).containsExactly("status", "time", "failed_checks");
      assertThat(body.get("status")).isEqualTo("Service Unavailable");
      List<Object> failed = (List<Object>) body.get("failed_checks");
      assertThat(failed).hasSize(4);
      assertThat(failed)
          .extracting(f -> ((Map<String, Object>) f).get("component"))
          .containsExactly("ledger", "fake", "thrower", "ledger");
      assertThat(((Map<String, Object>) failed.get(0)).get("reason").toString())
          .contains(missing.toString())
          .contains("does not exist");
      assertThat(((Map<String, Object>) failed.get(1)).get("reason"))
          .isEqualTo("broken \"on purpose\"");
      assertThat(((Map<String, Object>) failed.get(2)).get("reason").toString()).contains("boom");
    }
  }

  @Test
  void metricsIsPrometheusTextHoldingTheNodesStateHeight() throws Exception {
    HttpResponse<String> r = http.get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    List<String> lines = r.body().lines().filter(l -> !l.isEmpty()).toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      if (line.startsWith("#")) {
        assertThat(line).matches("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");
      } else {
        assertThat(line).as("a sample line").matches(METRIC_LINE);
      }
    }
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith("gossip_state_height{")
                    && l.contains("channel=\"" + CHANNEL + "\"")
                    && l.endsWith(" 20.0"));
    assertThat(lines).anyMatch(l -> l.startsWith("gossip_membership_total_peers_known "));
    assertThat(lines).anyMatch(l -> l.startsWith("gossip_messages_rejected_total{"));
  }

  @Test
  void statusHasEveryFieldOfOperationsMdWithTheRightValues() throws Exception {
    HttpResponse<String> r = http.get("/status");

    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> root = (Map<String, Object>) JsonParser.parse(r.body());
    assertThat(root.keySet()).containsExactly("peer", "membership", "channels", "rejected");
    assertThat(((Map<String, Object>) root.get("peer")).keySet())
        .containsExactly(
            "id", "mspId", "pkiId", "endpoint", "externalEndpoint", "incNum", "startedAt");
    Map<String, Object> membership = (Map<String, Object>) root.get("membership");
    assertThat(membership.keySet()).containsExactly("alive", "dead");
    for (Object m : (List<Object>) membership.get("alive")) {
      assertThat(((Map<String, Object>) m).keySet())
          .containsExactly("pkiId", "endpoint", "mspId", "incNum", "seqNum", "lastSeenMs");
    }
    Map<String, Object> channel =
        (Map<String, Object>) ((List<Object>) root.get("channels")).get(0);
    assertThat(channel.keySet())
        .containsExactly("name", "height", "isLeader", "leader", "members", "blocks");
    assertThat(((Map<String, Object>) ((List<Object>) channel.get("members")).get(0)).keySet())
        .containsExactly("pkiId", "height", "left");
    assertThat(((Map<String, Object>) channel.get("blocks")).keySet())
        .containsExactly("byPush", "byPull", "byStateTransfer", "fromOrderer");

    StatusReader s = StatusReader.parse(r.body());
    String self = served.node.self().toHex();
    assertThat(s.peer().id()).isEqualTo(served.name);
    assertThat(s.peer().mspId()).isEqualTo("Org1MSP");
    assertThat(s.peer().pkiId()).isEqualTo(self);
    assertThat(s.peer().endpoint()).isEqualTo(fixture.endpoint(1).toString());
    assertThat(s.peer().externalEndpoint()).isEqualTo(fixture.endpoint(1).toString());
    assertThat(s.peer().incNum()).isEqualTo(1);
    assertThat(Instant.parse(s.peer().startedAt())).isEqualTo(served.node.startedAt());
    assertThat(s.alive()).hasSize(2);
    assertThat(s.alive()).extracting(StatusReader.AliveMember::pkiId).doesNotContain(self);
    assertThat(s.alive())
        .allSatisfy(
            m -> {
              assertThat(m.mspId()).isEqualTo("Org1MSP");
              assertThat(m.incNum()).isEqualTo(1);
              assertThat(m.seqNum()).isPositive();
              assertThat(m.lastSeenMs()).isBetween(0L, 5_000L);
            });
    assertThat(s.dead()).isEmpty();

    StatusReader.Channel c = s.channel(CHANNEL).orElseThrow();
    assertThat(c.height()).isEqualTo(20);
    assertThat(c.isLeader()).isFalse();
    assertThat(c.leader()).as("static election declares no leader to followers").isNull();
    assertThat(c.members()).hasSize(2);
    assertThat(c.members()).extracting(StatusReader.ChannelMember::pkiId).doesNotContain(self);
    assertThat(c.members()).allSatisfy(m -> assertThat(m.left()).isFalse());
    assertThat(c.byPush() + c.byPull() + c.byStateTransfer()).isGreaterThanOrEqualTo(20);
    assertThat(c.fromOrderer()).isZero();
    assertThat(s.rejected()).containsKeys("frame_too_large", "malformed_envelope");
  }

  @Test
  void statusOfTheLeaderNamesItselfAndCountsBlocksFromTheOrderer() {
    try (StatusJson json = StatusJson.attach(leader.node, leader.name, fixture.time.clock())) {
      StatusReader.Channel c = StatusReader.parse(json.render()).channel(CHANNEL).orElseThrow();

      assertThat(c.isLeader()).isTrue();
      assertThat(c.leader()).isEqualTo(leader.node.self().toHex());
      assertThat(c.fromOrderer()).isEqualTo(20);
      assertThat(c.height()).isEqualTo(20);
    }
  }

  @Test
  void logspecGetAndPutRoundTripAndAMalformedSpecIs400WithTheReason() throws Exception {
    HttpResponse<String> first = http.get("/logspec");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("{\"spec\":\"info\"}");

    HttpResponse<String> put =
        http.send("PUT", "/logspec", "{\"spec\":\"gossip.election=debug:info\"}");
    assertThat(put.statusCode()).isEqualTo(204);
    assertThat(http.get("/logspec").body()).isEqualTo("{\"spec\":\"gossip.election=debug:info\"}");

    HttpResponse<String> bad = http.send("PUT", "/logspec", "{\"spec\":\"gossip=verbose\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(((Map<String, Object>) JsonParser.parse(bad.body())).get("error").toString())
        .contains("bad segment 'gossip=verbose'");
    assertThat(http.send("PUT", "/logspec", "spec=debug").statusCode()).isEqualTo(400);
    assertThat(http.send("PUT", "/logspec", "[\"debug\"]").statusCode()).isEqualTo(400);
    assertThat(http.send("PUT", "/logspec", "{\"spec\":7}").statusCode()).isEqualTo(400);
    assertThat(http.get("/logspec").body())
        .as("unchanged by refused specs")
        .isEqualTo("{\"spec\":\"gossip.election=debug:info\"}");

    assertThat(http.send("PUT", "/logspec", "{\"spec\":\"INFO\"}").statusCode()).isEqualTo(204);
    assertThat(http.get("/logspec").body()).isEqualTo("{\"spec\":\"info\"}");
  }

  @Test
  void logspecBodyLargerThanTheLimitIs413() throws Exception {
    String huge = "{\"spec\":\"" + "a".repeat(70 * 1024) + "\"}";

    assertThat(http.send("PUT", "/logspec", huge).statusCode()).isEqualTo(413);
  }

  @Test
  void versionAnswersVersionAndCommit() throws Exception {
    HttpResponse<String> r = http.get("/version");

    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Object> body = (Map<String, Object>) JsonParser.parse(r.body());
    assertThat(body.keySet()).containsExactly("version", "commit");
    VersionInfo v = VersionInfo.load();
    assertThat(body.get("version")).isEqualTo(v.version());
    assertThat(body.get("commit")).isEqualTo(v.commit());
    assertThat(v.version()).as("filtered by the build").isNotEqualTo("unknown").doesNotContain("$");
  }

  @Test
  void unknownPathIs404() throws Exception {
    for (String path : List.of("/", "/nope", "/healthz/", "/status/x", "/metricsx")) {
      HttpResponse<String> r = http.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(((Map<String, Object>) JsonParser.parse(r.body())).get("error").toString())
          .contains("no such endpoint");
    }
  }

  @Test
  void otherMethodsAre405WithAllow() throws Exception {
    HttpResponse<String> post = http.send("POST", "/healthz", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");

    HttpResponse<String> postSpec = http.send("POST", "/logspec", "{\"spec\":\"debug\"}");
    assertThat(postSpec.statusCode()).isEqualTo(405);
    assertThat(postSpec.headers().firstValue("Allow")).contains("GET, PUT");

    assertThat(http.send("DELETE", "/status", null).statusCode()).isEqualTo(405);
    assertThat(http.send("PUT", "/metrics", "x").statusCode()).isEqualTo(405);
  }

  @Test
  void statusIs503AndMetricsIs404WhenNotAvailable() throws Exception {
    try (OperationsServer bare =
        OperationsServer.builder()
            .listen(":0")
            .status(
                () -> {
                  throw new IllegalStateException("node not started");
                })
            .start()) {
      Http client = new Http(bare);

      HttpResponse<String> s = client.get("/status");
      assertThat(s.statusCode()).isEqualTo(503);
      assertThat(s.body()).contains("node not started");
      assertThat(client.get("/metrics").statusCode()).isEqualTo(404);
      assertThat(client.get("/healthz").statusCode()).as("no checks: healthy").isEqualTo(200);
    }
  }

  @Test
  void closedServerRefusesConnectionsAndCloseIsIdempotent() throws Exception {
    OperationsServer ops = OperationsServer.builder().listen("127.0.0.1:0").start();
    Http client = new Http(ops);
    assertThat(client.get("/version").statusCode()).isEqualTo(200);

    ops.close();
    ops.close();

    assertThatThrownBy(() -> client.get("/version")).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void listenAddressThatIsNotHostPortIsRefused() {
    assertThatThrownBy(() -> OperationsServer.builder().listen("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("operations.listenAddress");
    assertThatThrownBy(() -> OperationsServer.builder().listen("localhost:http"))
        .hasMessageContaining("no valid port");
    assertThatThrownBy(() -> OperationsServer.builder().listen("localhost:70000"))
        .hasMessageContaining("out of range");
  }
}
