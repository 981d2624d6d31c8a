package org.ledgergossip.peer;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip demo}: the fault-injection story on the in-memory transport. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Shows, in a few seconds, what the foundation of ledgergossip does today.",
      "",
      "Several peers are started on the in-memory transport (no sockets: a simulated network"
          + " inside this process) and run in virtual time, so the story is the same on every"
          + " machine. They exchange real Fabric gossip messages (DataMessage carrying a"
          + " payload), encoded and checked by the wire codec, while faults are injected: frame"
          + " loss and delay, a network partition and its heal, a crashed peer, and malformed or"
          + " oversize input. Each phase prints what was sent, delivered, lost and rejected.",
      "",
      "The same --seed always prints the same story. The full network demo (ordering service,"
          + " two organisations, mutual TLS, leader election) replaces this one when the peer"
          + " daemon lands."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--peers",
      defaultValue = "5",
      description = "Number of peers, 3 to 20 (default: ${DEFAULT-VALUE}).")
  int peers;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of every random choice: loss, delays (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--loss",
      defaultValue = "0.2",
      description =
          "Fraction of frames lost in the lossy phase, 0 to 0.9 (default: ${DEFAULT-VALUE}).")
  double loss;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (peers < 3 || peers > 20) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--peers must be between 3 and 20, was " + peers);
    }
    if (!(loss >= 0 && loss <= 0.9)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--loss must be between 0 and 0.9, was " + loss);
    }
    InMemoryFaultDemo.Summary summary = new InMemoryFaultDemo(peers, seed, loss, out).run();
    out.flush();
    return summary.consistent() ? 0 : 1;
  }
}
