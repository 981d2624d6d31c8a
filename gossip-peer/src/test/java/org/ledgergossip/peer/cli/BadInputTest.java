package org.ledgergossip.peer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.peer.GossipCommand;

/**
 * Bad input to {@code gossip peer start}, answered before anything runs with exit code 2 and a
 * reason naming the key, value or file; a port in use with exit code 1 naming the port.
 */
class BadInputTest {

  @TempDir Path dir;

  private Path core;
  private String text;

  private record Result(int code, String err) {}

  private static Result run(String... args) {
    StringWriter err = new StringWriter();
    int code = GossipCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    return new Result(code, err.toString());
  }

  @BeforeEach
  void network() throws IOException {
    int base = 30_000 + ThreadLocalRandom.current().nextInt(20_000);
    Result init =
        run(
            "network",
            "init",
            "--dir",
            dir.resolve("net").toString(),
            "--orgs",
            "2",
            "--peers",
            "1",
            "--base-port",
            Integer.toString(base));
    assertThat(init.code()).as(init.err()).isZero();
    core = dir.resolve("net/peers/peer0.org1.example.com/core.yaml");
    text = Files.readString(core);
  }

  private Path variant(String from, String to) throws IOException {
    assertThat(text).contains(from);
    Path file = core.resolveSibling("variant.yaml");
    Files.writeString(file, text.replace(from, to));
    return file;
  }

  @Test
  void missingConfigFileIsExitTwoNamingIt() {
    Path missing = dir.resolve("nowhere/core.yaml");
    Result r = run("peer", "start", "--config", missing.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(missing.toString());
  }

  @Test
  void malformedYamlIsExitTwoWithLineAndColumn() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "peer:\n  id: [unclosed\n  address: x\n");
    Result r = run("peer", "start", "--config", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).containsIgnoringCase("line");
  }

  @Test
  void unknownPluginIsExitTwoListingTheProvidersFound() throws IOException {
    Result r =
        run("peer", "start", "--config", variant("transport: netty", "transport: quic").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("quic").contains("netty");
  }

  @Test
  void bothLeaderFlagsAreExitTwoNamingBothKeys() throws IOException {
    Result r =
        run("peer", "start", "--config", variant("orgLeader: false", "orgLeader: true").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("peer.gossip.useLeaderElection and peer.gossip.orgLeader are both true");
  }

  @Test
  void mspFolderWithoutASigningKeyIsExitTwoNamingTheFolder() throws IOException {
    Path msp =
        dir.resolve(
            "net/crypto/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp");
    try (var keys = Files.list(msp.resolve("keystore"))) {
      for (Path k : keys.toList()) {
        Files.delete(k);
      }
    }
    Result r = run("peer", "start", "--config", core.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("peer.mspConfigPath").contains("keystore");
  }

  @Test
  void portInUseIsExitOneNamingThePort() throws IOException {
    String address =
        text.lines().filter(l -> l.trim().startsWith("address:")).findFirst().orElseThrow();
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1).trim());
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(taken.isBound()).isTrue();
      Result r = run("peer", "start", "--config", core.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains(Integer.toString(port));
    }
  }
}
