package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip cryptogen}: Fabric's crypto-config layout, for test networks. */
@Command(
    name = "cryptogen",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the keys and certificates of a test network in Fabric's crypto-config layout:",
      "a certificate authority per organisation, a signing identity (MSP folder) and a TLS",
      "key pair for every peer and for the orderer, and empty revocation lists.",
      "",
      "Layout: OUTPUT/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/{msp,tls},",
      "OUTPUT/ordererOrganizations/example.com/orderers/orderer.example.com/{msp,tls}.",
      "For test networks only: the private keys are written unencrypted."
    })
public final class CryptogenCommand implements Callable<Integer> {

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "The folder to write (created if needed).")
  Path output;

  @Option(
      names = "--orgs",
      defaultValue = "2",
      description = "Peer organisations (default: ${DEFAULT-VALUE}).")
  int orgs;

  @Option(
      names = "--peers",
      defaultValue = "3",
      description = "Peers per organisation (default: ${DEFAULT-VALUE}).")
  int peers;

  @Option(
      names = "--san",
      paramLabel = "HOST",
      description = "An extra host name or IP in every TLS certificate (repeatable).")
  List<String> sans = List.of();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Picocli makes it. */
  public CryptogenCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (orgs < 1 || peers < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--orgs and --peers must be at least 1");
    }
    try {
      CryptoLayout layout =
          Cryptogen.generate(
              output,
              Cryptogen.Spec.builder().orgs(orgs).peersPerOrg(peers).extraSans(sans).build());
      out.printf(
          "wrote %d organisations of %d peers and an orderer under %s%n",
          orgs, peers, layout.root());
      return Exits.OK;
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("gossip: cryptogen failed: " + e.getMessage());
      return Exits.FAILURE;
    }
  }
}
