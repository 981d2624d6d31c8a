package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.peer.ops.StatusReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip status}: what running peers say of themselves. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the /status of one or more running peers as a table: how many peers each sees",
      "alive, its ledger height on each channel, whether it leads its organisation there (*),",
      "and how its blocks arrived (pushed by gossip, pulled, by state transfer, or from the",
      "ordering service). Name peers by their operations endpoint (--ops), or give the folder",
      "of a network made by 'gossip network init' (--dir)."
    })
public final class StatusCommand implements Callable<Integer> {

  @Option(
      names = "--ops",
      paramLabel = "HOST:PORT",
      description = "A peer's operations endpoint (repeatable).")
  List<String> ops = new ArrayList<>();

  @Option(names = "--dir", paramLabel = "DIR", description = "Every peer of this network.")
  @Nullable Path dir;

  @Option(names = "--json", description = "Print the raw /status JSON of each peer instead.")
  boolean json;

  @Option(names = "--watch", description = "Refresh every second until Ctrl-C.")
  boolean watch;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Picocli makes it. */
  public StatusCommand() {}

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    List<Endpoint> endpoints = new ArrayList<>();
    try {
      for (String o : ops) {
        endpoints.add(Endpoint.parse(o));
      }
      if (dir != null) {
        for (NetworkLayout.Member m : new NetworkLayout(dir).processes()) {
          if (m.kind().equals("peer")) {
            endpoints.add(m.operations());
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("gossip: " + e.getMessage());
      return Exits.USAGE;
    }
    if (endpoints.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --ops or --dir");
    }
    OpsClient client = new OpsClient();
    int unreachable;
    do {
      unreachable = 0;
      if (watch) {
        out.print("\033[H\033[2J");
      }
      if (!json) {
        out.printf(
            "%-24s %-9s %-5s %-12s %7s %-3s %7s %7s %7s %7s%n",
            "PEER", "ORG", "ALIVE", "CHANNEL", "HEIGHT", "LDR", "PUSH", "PULL", "STATE", "ORDERER");
      }
      for (Endpoint e : endpoints) {
        if (json) {
          Optional<String> body = client.get(e, "/status");
          out.println(body.orElse("{\"unreachable\":\"" + e + "\"}"));
          unreachable += body.isEmpty() ? 1 : 0;
          continue;
        }
        Optional<StatusReader> s = client.status(e);
        if (s.isEmpty()) {
          out.printf("%-24s (no answer from %s)%n", "?", e);
          unreachable++;
          continue;
        }
        StatusReader r = s.get();
        for (StatusReader.Channel c : r.channels()) {
          out.printf(
              "%-24s %-9s %5d %-12s %7d %-3s %7d %7d %7d %7d%n",
              r.peer().id(),
              r.peer().mspId(),
              r.alive().size(),
              c.name(),
              c.height(),
              c.isLeader() ? " *" : "",
              c.byPush(),
              c.byPull(),
              c.byStateTransfer(),
              c.fromOrderer());
        }
      }
      out.flush();
      if (watch) {
        TimeUnit.SECONDS.sleep(1);
      }
    } while (watch);
    return unreachable == 0 ? Exits.OK : Exits.FAILURE;
  }
}
