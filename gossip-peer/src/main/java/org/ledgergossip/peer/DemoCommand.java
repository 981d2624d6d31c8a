package org.ledgergossip.peer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.peer.cli.Demo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip demo}: a whole network on this machine, and a story told and checked. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a small Fabric-style network on this machine and shows what gossip does in it.",
      "",
      "An ordering service and two organisations of three peers start as separate processes,",
      "talking over mutual TLS on 127.0.0.1. The ordering service cuts a few blocks a second;",
      "in each organisation one peer, the elected leader, fetches them and the others receive",
      "them by gossip. A live table shows, per peer, how many others it sees alive, its ledger",
      "height, whether it leads (★) and how its blocks arrive (pushed, pulled, state transfer).",
      "",
      "Then the story, each step checked against the peers' own /status: the leader of Org1 is",
      "killed (SIGKILL) and another peer takes over; a peer started late catches up; the killed",
      "peer comes back and is seen alive again. A summary with measured figures ends it. Every",
      "process is stopped at the end, on failure and on Ctrl-C; the folder is deleted unless",
      "--keep. Exit code 0 only if every step reached its end state."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--orgs", defaultValue = "2", description = "Organisations, 2 to 4 (default 2).")
  int orgs;

  @Option(names = "--peers", defaultValue = "3", description = "Peers per org, 2 to 5 (default 3).")
  int peers;

  @Option(
      names = "--duration",
      defaultValue = "90s",
      paramLabel = "TIME",
      description = "How long the story runs at least, e.g. 40s or 2m (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--keep", description = "Keep the network's folder (logs, ledgers) at the end.")
  boolean keep;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "The folder (default: a new temporary one).")
  @Nullable Path dir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (orgs < 2 || orgs > 4 || peers < 2 || peers > 5) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--orgs must be 2 to 4 and --peers 2 to 5");
    }
    Duration d = parse(duration);
    Path folder = dir != null ? dir : Files.createTempDirectory("gossip-demo-");
    Demo demo = new Demo(folder, orgs, peers, d, isTerminal(), out);
    AtomicBoolean finished = new AtomicBoolean();
    Thread hook =
        new Thread(
            () -> {
              if (!finished.get()) {
                demo.stop(keep);
              }
            },
            "demo-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    List<Boolean> results;
    try {
      results = demo.run();
    } finally {
      demo.stop(keep);
      finished.set(true);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    if (keep) {
      out.println("kept " + folder + " (logs in run/)");
    }
    boolean ok = !results.isEmpty() && results.stream().allMatch(Boolean::booleanValue);
    out.println(ok ? "demo: every step reached its end state" : "demo: some steps failed");
    out.flush();
    return ok ? 0 : 1;
  }

  /** Whether standard output is a terminal (and not, say, a pipe or a CI log). */
  @SuppressWarnings("SystemConsoleNull") // JDK 17: null exactly when not attached to a terminal
  private static boolean isTerminal() {
    return System.console() != null && System.getenv("TERM") != null;
  }

  private Duration parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(
          Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t));
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--duration: expected e.g. 40s or 2m, was " + text);
    }
  }
}
