package org.ledgergossip.peer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.InvalidConfigException;

/** {@code peer.organizations} and {@code peer.orderers.mspId}: the organisations a peer trusts. */
class CoreYamlOrganizationsTest {

  @TempDir Path dir;

  @Test
  void organizationsAreResolvedAgainstTheFileAndIncludeTheOwnMspByDefault() throws IOException {
    ConfigFixture.msp(dir, "msp");
    Path org2 = ConfigFixture.msp(dir, "crypto/org2/msp");
    Path orderer = ConfigFixture.msp(dir, "crypto/orderer/msp");
    Path file =
        ConfigFixture.write(
            dir,
            "core.yaml",
            ConfigFixture.MINIMAL_CORE
                + "  organizations: [Org2MSP=crypto/org2/msp, OrdererMSP=crypto/orderer/msp]\n"
                + "  anchorPeers: [Org2MSP=127.0.0.1:8051, Org2MSP=127.0.0.1:8052]\n"
                + "  orderers:\n"
                + "    mspId: OrdererMSP\n");

    PeerSettings s = CoreYaml.load(file, Map.of()).settings();

    assertThat(s.organizations())
        .containsExactly(Map.entry("Org2MSP", org2), Map.entry("OrdererMSP", orderer));
    assertThat(s.trustedOrganizations()).containsEntry("Org1MSP", dir.resolve("msp")).hasSize(3);
    assertThat(s.orderers().mspId()).isEqualTo("OrdererMSP");
    assertThat(s.anchorPeers().get("Org2MSP"))
        .containsExactly(Endpoint.parse("127.0.0.1:8051"), Endpoint.parse("127.0.0.1:8052"));

    Path again = dir.resolve("again/core.yaml");
    CoreYaml.write(s, again);
    assertThat(CoreYaml.load(again, Map.of()).settings()).isEqualTo(s);
  }

  @Test
  void anOrganizationWithoutAnMspFolderOrWithoutAnIdIsAProblem() {
    ConfigFixture.msp(dir, "msp");
    Path file =
        ConfigFixture.write(
            dir,
            "core.yaml",
            ConfigFixture.MINIMAL_CORE + "  organizations: [Org2MSP=nowhere, =msp]\n");

    assertThatThrownBy(() -> CoreYaml.load(file, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("peer.organizations")
        .hasMessageContaining("no MSP folder with cacerts")
        .hasMessageContaining("expected MSPID=path/to/msp");
  }
}
