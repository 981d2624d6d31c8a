package org.ledgergossip.peer;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gossip} command line: {@code demo}, {@code peer start}, {@code orderer start}, {@code
 * cryptogen} (see OPERATIONS.md).
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 bad usage.
 */
@Command(
    name = "gossip",
    mixinStandardHelpOptions = true,
    versionProvider = GossipCommand.Version.class,
    description = {
      "ledgergossip: the gossip protocol of Hyperledger Fabric peers, in Java.",
      "Peers of a permissioned blockchain network use gossip to learn who is alive, spread every"
          + " new block to every peer of a channel, and repair peers that missed blocks."
    },
    subcommands = {
      DemoCommand.class,
      org.ledgergossip.peer.cli.PeerCommand.class,
      org.ledgergossip.peer.cli.OrdererCommand.class,
      org.ledgergossip.peer.cli.CryptogenCommand.class,
      org.ledgergossip.peer.cli.NetworkCommand.class,
      org.ledgergossip.peer.cli.StatusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class GossipCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GossipCommand()).execute(args));
  }

  /**
   * Runs the command line in this process with {@code out} and {@code err} (for tests and tools).
   *
   * @return the exit code
   */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new GossipCommand()).setOut(out).setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version of this build, from the jar manifest when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GossipCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ledgergossip " + (v == null ? "(development build)" : v)};
    }
  }
}
