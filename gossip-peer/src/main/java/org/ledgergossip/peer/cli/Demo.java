package org.ledgergossip.peer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The network demo as the {@code demo} command drives it: run the story, then stop every child and
 * delete the folder. Thread-safe {@link #stop} (it also runs from the Ctrl-C hook).
 */
public final class Demo {

  private final NetworkDemo demo;
  private boolean stopped;

  /**
   * A demo in {@code dir} (created if needed, must not hold a network yet).
   *
   * @param live redraw a table in place (a terminal); else print plain lines
   */
  public Demo(Path dir, int orgs, int peers, Duration duration, boolean live, PrintWriter out) {
    this.demo = new NetworkDemo(dir, orgs, peers, duration, live, out);
  }

  /**
   * Runs the story.
   *
   * @return whether each step reached its end state, in order
   */
  public List<Boolean> run() throws IOException, InterruptedException {
    return demo.run().stream().map(NetworkDemo.Step::ok).toList();
  }

  /** Stops every child process; deletes the folder unless {@code keep}. Idempotent. */
  public synchronized void stop(boolean keep) {
    if (stopped) {
      return;
    }
    stopped = true;
    demo.stopAll();
    if (!keep) {
      try {
        demo.delete();
      } catch (IOException e) {
        System.err.println("gossip demo: could not delete its folder: " + e.getMessage());
      }
    }
  }
}
