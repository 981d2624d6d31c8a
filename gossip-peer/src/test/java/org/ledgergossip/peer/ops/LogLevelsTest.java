package org.ledgergossip.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link LogLevels}: the recording one, and Logback's (the backend of these tests). */
class LogLevelsTest {

  private LogLevels simple;

  @AfterEach
  void backToInfo() {
    if (simple != null) {
      simple.apply(LogSpec.INFO);
    }
  }

  @Test
  void recordingLevelsOnlyRememberTheSpec() {
    LogLevels levels = LogLevels.recording(LogSpec.INFO);
    LogSpec spec = LogSpec.parse("gossip=debug:warn");

    levels.apply(spec);

    assertThat(levels.spec()).isEqualTo(spec);
  }

  @Test
  void fabricModulesMapToOurPackages() {
    assertThat(LogLevels.fabricModuleToLogger("gossip.election"))
        .isEqualTo("org.ledgergossip.election");
    assertThat(LogLevels.fabricModuleToLogger("gossip.discovery"))
        .isEqualTo("org.ledgergossip.membership");
    assertThat(LogLevels.fabricModuleToLogger("gossip.state"))
        .isEqualTo("org.ledgergossip.statetransfer");
    assertThat(LogLevels.fabricModuleToLogger("gossip.comm.x"))
        .isEqualTo("org.ledgergossip.core.internal.comm.x");
    assertThat(LogLevels.fabricModuleToLogger("gossip")).isEqualTo("org.ledgergossip");
    assertThat(LogLevels.fabricModuleToLogger("gossip.")).isEqualTo("org.ledgergossip.");
    assertThat(LogLevels.fabricModuleToLogger("gossipy")).isEqualTo("gossipy");
    assertThat(LogLevels.fabricModuleToLogger("io.netty")).isEqualTo("io.netty");
  }

  @Test
  void logbackLevelsChangeExistingAndLaterLoggersAtRunTime() {
    Logger election = LoggerFactory.getLogger("org.ledgergossip.election.Existing");
    Logger membership = LoggerFactory.getLogger("org.ledgergossip.membership.Existing");
    assertThat(election.isDebugEnabled()).isFalse();

    simple = LogLevels.logback(LogSpec.parse("gossip.election=debug:warn"));

    assertThat(election.isDebugEnabled()).isTrue();
    assertThat(membership.isInfoEnabled()).as("default warn").isFalse();
    assertThat(membership.isWarnEnabled()).isTrue();
    Logger later = LoggerFactory.getLogger("org.ledgergossip.election.CreatedLater");
    assertThat(later.isDebugEnabled()).isTrue();
    Logger otherLater = LoggerFactory.getLogger("org.ledgergossip.ledger.CreatedLater");
    assertThat(otherLater.isInfoEnabled()).isFalse();
    assertThat(simple.spec()).hasToString("gossip.election=debug:warn");

    simple.apply(LogSpec.INFO);

    assertThat(election.isDebugEnabled()).isFalse();
    assertThat(election.isInfoEnabled()).isTrue();
    assertThat(membership.isInfoEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("org.ledgergossip.election.Third").isDebugEnabled())
        .isFalse();
  }
}
