package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip network init|start|stop}: a whole network on this machine. */
@Command(
    name = "network",
    mixinStandardHelpOptions = true,
    description = {
      "Sets up, starts and stops a whole network on this machine, on loopback addresses:",
      "an ordering service and several organisations of peers, each a separate process",
      "talking to the others over mutual TLS."
    },
    subcommands = {
      NetworkCommand.Init.class,
      NetworkCommand.Start.class,
      NetworkCommand.Stop.class
    })
public final class NetworkCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Picocli makes it. */
  public NetworkCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code gossip network init}. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Writes everything a network needs into DIR: keys and certificates (crypto/), the",
        "orderer's orderer.yaml, and one core.yaml per peer (peers/<peer id>/core.yaml, its",
        "ledger under peers/<peer id>/data), with free loopback ports from --base-port up.",
        "Then prints a table of the peers, their ports and their configuration files.",
        "Start it with: gossip network start --dir DIR"
      })
  static final class Init implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The folder.")
    Path dir;

    @Option(names = "--orgs", defaultValue = "2", description = "Organisations (default 2).")
    int orgs;

    @Option(names = "--peers", defaultValue = "3", description = "Peers per org (default 3).")
    int peers;

    @Option(
        names = "--channels",
        split = ",",
        defaultValue = NetworkLayout.DEFAULT_CHANNEL,
        description = "Channels every peer joins (default: ${DEFAULT-VALUE}).")
    List<String> channels;

    @Option(
        names = "--base-port",
        defaultValue = "7050",
        description = "The first port to try (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(
        names = "--rate",
        defaultValue = "2",
        description = "Synthetic blocks per second the orderer cuts (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
        names = "--san",
        paramLabel = "HOST",
        description = "An extra host name or IP in every TLS certificate (repeatable).")
    List<String> sans = List.of();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (orgs < 1 || peers < 1 || basePort < 1 || basePort > 65_535 || !(rate >= 0)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--orgs and --peers must be at least 1, --base-port in 1..65535, --rate at least 0");
      }
      try {
        List<NetworkLayout.Member> ps =
            new NetworkLayout(dir).init(orgs, peers, channels, basePort, sans, rate);
        out.printf(
            "%-28s %-8s %-16s %-16s %s%n", "NAME", "KIND", "ENDPOINT", "OPERATIONS", "CONFIG");
        for (NetworkLayout.Member p : ps) {
          out.printf(
              "%-28s %-8s %-16s %-16s %s%n",
              p.name(),
              p.kind(),
              p.endpoint(),
              p.kind().equals("peer") ? p.operations() : "-",
              p.config());
        }
        out.println("start it with: gossip network start --dir " + dir);
        return Exits.OK;
      } catch (IOException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("gossip: network init failed: " + e.getMessage());
        return Exits.FAILURE;
      }
    }
  }

  /** {@code gossip network start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Starts every process of a network made by 'network init' (the orderer first), each in",
        "the background with its log in DIR/run/<name>.log and its pid in DIR/run/<name>.pid,",
        "and waits until each one listens. Processes already running are left alone."
      })
  static final class Start implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The folder.")
    Path dir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      NetworkLayout layout = new NetworkLayout(dir);
      try {
        // The orderer first; then every peer at once, each awaited in turn.
        List<NetworkLayout.Member> all = layout.processes();
        java.util.LinkedHashMap<NetworkLayout.Member, ProcessHandle> started =
            new java.util.LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
          NetworkLayout.Member p = all.get(i);
          Optional<ProcessHandle> running = Children.running(layout.run(), p.name());
          if (running.isPresent()) {
            out.printf("%-28s already running (pid %d)%n", p.name(), running.get().pid());
            continue;
          }
          started.put(p, startOne(layout, p));
          if (i == 0 && !awaitOne(layout, p, started.get(p), out, err)) {
            return Exits.FAILURE;
          }
        }
        for (var e : started.entrySet()) {
          if (!e.getKey().kind().equals("orderer")
              && !awaitOne(layout, e.getKey(), e.getValue(), out, err)) {
            return Exits.FAILURE;
          }
        }
        return Exits.OK;
      } catch (IOException e) {
        err.println("gossip: network start failed: " + e.getMessage());
        return Exits.FAILURE;
      }
    }
  }

  private static boolean awaitOne(
      NetworkLayout layout,
      NetworkLayout.Member p,
      ProcessHandle h,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    boolean ready =
        p.kind().equals("peer")
            ? Children.awaitStatus(h, p.operations(), Duration.ofSeconds(60))
            : Children.awaitListening(h, p.endpoint(), Duration.ofSeconds(60));
    if (!ready) {
      err.printf(
          "gossip: %s did not start; the end of %s:%n%s%n",
          p.name(),
          Children.log(layout.run(), p.name()),
          Children.tail(layout.run(), p.name(), 15));
      return false;
    }
    out.printf("%-28s started (pid %d) on %s%n", p.name(), h.pid(), p.endpoint());
    return true;
  }

  /** Starts one process of {@code layout}. */
  static ProcessHandle startOne(NetworkLayout layout, NetworkLayout.Member p) throws IOException {
    return Children.start(
        layout.run(),
        p.name(),
        List.of(p.kind(), "start", "--config", p.config().toString()),
        Map.of());
  }

  /** {@code gossip network stop}. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = {
        "Stops every process of a network started by 'network start': SIGTERM, then SIGKILL for",
        "any still running after 10 seconds; peers first, the orderer last."
      })
  static final class Stop implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The folder.")
    Path dir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      NetworkLayout layout = new NetworkLayout(dir);
      try {
        List<NetworkLayout.Member> ps = layout.processes();
        // Every peer at once, then the orderer.
        List<String> peers =
            ps.subList(1, ps.size()).stream().map(NetworkLayout.Member::name).toList();
        Map<String, Boolean> stopped =
            Children.stopAll(layout.run(), peers, Duration.ofSeconds(10));
        stopped.forEach(
            (name, was) -> out.printf("%-28s %s%n", name, was ? "stopped" : "was not running"));
        boolean was = Children.stop(layout.run(), ps.get(0).name(), Duration.ofSeconds(10));
        out.printf("%-28s %s%n", ps.get(0).name(), was ? "stopped" : "was not running");
        return Exits.OK;
      } catch (IOException e) {
        spec.commandLine().getErr().println("gossip: network stop failed: " + e.getMessage());
        return Exits.FAILURE;
      }
    }
  }
}
