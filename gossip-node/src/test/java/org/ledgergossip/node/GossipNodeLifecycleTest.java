package org.ledgergossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.node.NodeFixture.FAST;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;

/** Building and starting a node: what is required, and clear errors that leave nothing running. */
class GossipNodeLifecycleTest {

  @TempDir Path dir;

  private static final GossipConfig STATIC =
      FAST.toBuilder().useLeaderElection(false).orgLeader(true).build();

  @Test
  void buildWithoutListenEndpointOrMspIsRefused() {
    assertThatThrownBy(() -> GossipNode.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listen");
    assertThatThrownBy(() -> GossipNode.builder().listen(Endpoint.parse("127.0.0.1:0")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MSP");
  }

  @Test
  void unknownElectionPluginIsRefusedWithTheNamesFoundAndReleasesTheEndpoint() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 2)) {
      assertThatThrownBy(() -> f.start(1, 0, STATIC, 1, b -> b.election("raft")))
          .isInstanceOf(NodeStartException.class)
          .hasMessageContaining("raft")
          .hasMessageContaining("dynamic")
          .hasMessageContaining("static");

      NodeFixture.Peer p = f.start(1, 0, STATIC);
      assertThat(p.node.isRunning()).as("the endpoint was released").isTrue();
    }
  }

  @Test
  void secondNodeOnTheSameLedgerFolderIsRefusedNamingIt() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 2)) {
      NodeFixture.Peer first = f.start(1, 0, STATIC);
      Path ledgers = dir.resolve(first.name);

      assertThatThrownBy(() -> f.start(1, 1, STATIC, 1, b -> b.ledgerDirectory(ledgers)))
          .isInstanceOf(NodeStartException.class)
          .hasMessageContaining(ledgers.resolve(NodeFixture.CHANNEL).toString());
      assertThat(first.node.isRunning()).isTrue();
    }
  }

  @Test
  void accessorsBeforeStartAndAfterCloseSaySo() throws Exception {
    try (NodeFixture f = new NodeFixture(dir, 1, 1)) {
      NodeFixture.Peer p = f.start(1, 0, STATIC);
      p.node.close();
      p.node.close();

      assertThat(p.node.isRunning()).isFalse();
      assertThatThrownBy(p.node::self).hasMessageContaining("closed");
      assertThatThrownBy(p.node::start).isInstanceOf(IllegalStateException.class);
    }
  }
}
