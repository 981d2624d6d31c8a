package org.ledgergossip.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.peer.ops.OpsFixture.CHANNEL;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.peer.ops.OpsFixture.Peer;

/** {@link StatusJson}'s membership times and the health checks that watch a running node. */
class StatusAndHealthChecksTest {

  @TempDir Path dir;

  @Test
  void deadPeerIsListedUnderDeadWithItsDeadForMsAndTheAliveOnesWithFreshLastSeen()
      throws Exception {
    try (OpsFixture f = new OpsFixture(dir, 3)) {
      Peer p0 = f.start(0, OpsFixture.STATIC_LEADER);
      Peer p1 = f.start(1, OpsFixture.STATIC_FOLLOWER);
      Peer p2 = f.start(2, OpsFixture.STATIC_FOLLOWER);
      try (StatusJson json = StatusJson.attach(p1.node, p1.name, f.time.clock())) {
        assertThat(f.runUntil(() -> p1.node.alivePeers().size() == 2, Duration.ofSeconds(30)))
            .isTrue();
        for (int i = 0; i < 10; i++) {
          f.time.advanceBy(Duration.ofMillis(700));
          assertThat(StatusReader.parse(json.render()).alive())
              .hasSize(2)
              .allSatisfy(m -> assertThat(m.lastSeenMs()).isBetween(0L, 2_000L));
        }

        String p2Id = p2.node.self().toHex();
        f.kill(p2);
        assertThat(f.runUntil(() -> p1.node.deadPeers().size() == 1, Duration.ofSeconds(30)))
            .isTrue();
        StatusReader before = StatusReader.parse(json.render());
        f.time.advanceBy(Duration.ofSeconds(2));
        StatusReader after = StatusReader.parse(json.render());

        assertThat(after.alive())
            .extracting(StatusReader.AliveMember::pkiId)
            .containsExactly(p0.node.self().toHex());
        assertThat(after.dead()).hasSize(1);
        StatusReader.DeadMember dead = after.dead().get(0);
        assertThat(dead.pkiId()).isEqualTo(p2Id);
        assertThat(dead.endpoint()).isEqualTo(f.endpoint(2).toString());
        assertThat(dead.mspId()).isEqualTo("Org1MSP");
        assertThat(dead.deadForMs() - before.dead().get(0).deadForMs())
            .as("dated by the DEAD event, on the node's clock")
            .isEqualTo(2_000);
        assertThat(after.peer().pkiId()).isEqualTo(p1.node.self().toHex());
        assertThat(after.dead()).noneMatch(m -> m.pkiId().equals(after.peer().pkiId()));
      }
    }
  }

  @Test
  void statusOfAStoppedNodeThrowsIllegalState() throws Exception {
    try (OpsFixture f = new OpsFixture(dir, 1)) {
      Peer p0 = f.start(0, OpsFixture.STATIC_LEADER);
      StatusJson json = StatusJson.attach(p0.node, p0.name, f.time.clock());
      p0.node.close();

      assertThat(org.assertj.core.api.Assertions.catchThrowable(json::render))
          .isInstanceOf(IllegalStateException.class);
      json.close();
    }
  }

  @Test
  void orderingServiceCheckFailsOnceTheLeadersSourceFailedForTheThresholdAndRecovers()
      throws Exception {
    try (OpsFixture f = new OpsFixture(dir, 1)) {
      Peer leader = f.start(0, OpsFixture.STATIC_LEADER);
      HealthCheck check =
          HealthChecks.orderingService(leader.node, f.time.clock(), Duration.ofSeconds(3));
      f.cut(5);
      assertThat(f.runUntil(() -> leader.height() == 5, Duration.ofSeconds(30))).isTrue();
      assertThat(check.check()).isEmpty();
      assertThat(check.component()).isEqualTo("orderer");

      f.breakOrderer(leader.name, true);
      f.cut(5);
      Optional<String> failed = Optional.empty();
      int samples = 0;
      while (failed.isEmpty() && samples < 40) {
        f.time.advanceBy(Duration.ofMillis(500));
        failed = check.check();
        samples++;
      }
      assertThat(failed).hasValueSatisfying(r -> assertThat(r).contains("channel " + CHANNEL));
      assertThat(samples).as("not before the 3 s threshold").isGreaterThanOrEqualTo(6);

      f.breakOrderer(leader.name, false);
      assertThat(f.runUntil(() -> leader.height() == 10, Duration.ofSeconds(30))).isTrue();
      assertThat(check.check()).as("a new block ends the streak").isEmpty();
    }
  }

  @Test
  void alivePeersCheckPassesDuringTheGracePeriodThenNeedsAnAlivePeer() throws Exception {
    try (OpsFixture f = new OpsFixture(dir, 2)) {
      Peer p0 = f.start(0, OpsFixture.STATIC_LEADER);
      HealthCheck patient = HealthChecks.alivePeers(p0.node, f.time.clock(), Duration.ofHours(1));
      HealthCheck strict = HealthChecks.alivePeers(p0.node, f.time.clock(), Duration.ofSeconds(1));
      f.time.advanceBy(Duration.ofSeconds(2));

      assertThat(patient.check()).isEmpty();
      assertThat(strict.check())
          .hasValueSatisfying(r -> assertThat(r).startsWith("no alive peer known"));
      assertThat(strict.component()).isEqualTo("membership");

      f.start(1, OpsFixture.STATIC_FOLLOWER);
      assertThat(f.runUntil(() -> !p0.node.alivePeers().isEmpty(), Duration.ofSeconds(30)))
          .isTrue();
      assertThat(strict.check()).isEmpty();

      p0.node.close();
      assertThat(patient.check()).hasValue("the gossip node is not running");
    }
  }

  @Test
  void ledgerCheckPassesOnAWritableFolderAndLeavesNothingBehind() throws Exception {
    Path ledger = java.nio.file.Files.createDirectory(dir.resolve("ledger"));
    HealthCheck check = HealthChecks.ledgerWritable(ledger);

    assertThat(check.check()).isEmpty();
    try (var files = java.nio.file.Files.list(ledger)) {
      assertThat(files).isEmpty();
    }
    assertThat(check.component()).isEqualTo("ledger");
  }

  @Test
  void ledgerCheckFailsOnAReadOnlyFolder() throws Exception {
    Path ledger = java.nio.file.Files.createDirectory(dir.resolve("read-only"));
    java.nio.file.Files.setPosixFilePermissions(
        ledger, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(
          java.nio.file.Files.isWritable(ledger), "running as root: permissions are not enforced");

      assertThat(HealthChecks.ledgerWritable(ledger).check())
          .hasValueSatisfying(r -> assertThat(r).contains("is not writable"));
    } finally {
      java.nio.file.Files.setPosixFilePermissions(
          ledger, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }
}
