package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.peer.GossipCommand;

/**
 * Child processes of the {@code gossip} command: each runs this same program ({@code java -cp <this
 * class path> ... GossipCommand <args>}), logs to {@code run/<name>.log} and is remembered in
 * {@code run/<name>.pid}, so that another invocation can stop it. Stateless.
 */
final class Children {

  private static final Duration POLL = Duration.ofMillis(100);

  private Children() {}

  /**
   * Starts {@code gossip <args>} as a child named {@code name}, its pid written to the run folder.
   */
  static ProcessHandle start(Path run, String name, List<String> args, Map<String, String> env)
      throws IOException {
    return start(run, name, args, env, List.of());
  }

  /**
   * {@link #start(Path, String, List, Map)} with extra JVM options (the demo adds {@code
   * -XX:TieredStopAtLevel=1}: seven JVMs start faster on two cores with the client compiler only).
   */
  static ProcessHandle start(
      Path run, String name, List<String> args, Map<String, String> env, List<String> jvmOptions)
      throws IOException {
    Files.createDirectories(run);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xss512k");
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx256m");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(GossipCommand.class.getName());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(run, name).toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    Process p = pb.start();
    Files.writeString(pidFile(run, name), Long.toString(p.pid()), StandardCharsets.UTF_8);
    return p.toHandle();
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  static Path log(Path run, String name) {
    return run.resolve(name + ".log");
  }

  static Path pidFile(Path run, String name) {
    return run.resolve(name + ".pid");
  }

  /** The live process of {@code name}'s pid file, if any. */
  static Optional<ProcessHandle> running(Path run, String name) throws IOException {
    Path pid = pidFile(run, name);
    if (!Files.exists(pid)) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(Files.readString(pid, StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(n).filter(ProcessHandle::isAlive);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops {@code name}: SIGTERM, then SIGKILL after {@code grace}; removes its pid file.
   *
   * @return true if a process was running
   */
  static boolean stop(Path run, String name, Duration grace) throws IOException {
    Optional<ProcessHandle> p = running(run, name);
    if (p.isPresent()) {
      terminate(p.get(), grace);
    }
    Files.deleteIfExists(pidFile(run, name));
    return p.isPresent();
  }

  /**
   * Stops every one of {@code names} at once: SIGTERM to all, then each awaited, SIGKILL after
   * {@code grace}; removes their pid files.
   *
   * @return for each name, in order, whether a process was running
   */
  static Map<String, Boolean> stopAll(Path run, List<String> names, Duration grace)
      throws IOException {
    Map<String, Optional<ProcessHandle>> handles = new java.util.LinkedHashMap<>();
    for (String name : names) {
      Optional<ProcessHandle> p = running(run, name);
      p.ifPresent(ProcessHandle::destroy);
      handles.put(name, p);
    }
    Map<String, Boolean> out = new java.util.LinkedHashMap<>();
    for (var e : handles.entrySet()) {
      e.getValue().ifPresent(p -> terminate(p, grace));
      Files.deleteIfExists(pidFile(run, e.getKey()));
      out.put(e.getKey(), e.getValue().isPresent());
    }
    return out;
  }

  /** SIGTERM, then SIGKILL if still alive after {@code grace}; waits for the end (bounded). */
  static void terminate(ProcessHandle p, Duration grace) {
    p.destroy();
    try {
      p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller's check of isAlive
      }
    }
  }

  /**
   * Waits until {@code endpoint} accepts a TCP connection, the process dies, or {@code limit}
   * passes.
   *
   * @return true if it accepts connections
   */
  static boolean awaitListening(ProcessHandle p, Endpoint endpoint, Duration limit)
      throws InterruptedException {
    return await(
        p,
        limit,
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 200);
            return true;
          } catch (IOException e) {
            return false;
          }
        });
  }

  /**
   * Waits until the peer's {@code /status} answers 200 (it runs), the process dies, or {@code
   * limit} passes.
   */
  static boolean awaitStatus(ProcessHandle p, Endpoint ops, Duration limit)
      throws InterruptedException {
    OpsClient client = new OpsClient();
    return await(p, limit, () -> client.get(ops, "/status").isPresent());
  }

  /** A check that may be interrupted. */
  private interface Check {
    boolean holds() throws InterruptedException;
  }

  /** Polls {@code ready} every {@link #POLL} until it holds, {@code p} dies, or {@code limit}. */
  private static boolean await(ProcessHandle p, Duration limit, Check ready)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        return false;
      }
      if (ready.holds()) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
    }
    return false;
  }

  /** The last {@code lines} lines of {@code name}'s log, for an error message. */
  static String tail(Path run, String name, int lines) {
    try {
      List<String> all = Files.readAllLines(log(run, name), StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
