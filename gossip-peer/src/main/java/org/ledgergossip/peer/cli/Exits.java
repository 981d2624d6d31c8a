package org.ledgergossip.peer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.InvalidConfigException;
import org.ledgergossip.api.ProviderNotFoundException;

/**
 * The exit codes of OPERATIONS.md and the one-line-per-problem reports that go with them.
 * Stateless.
 */
final class Exits {

  /** Success. */
  static final int OK = 0;

  /** A runtime failure (an endpoint in use, a ledger that cannot be opened). */
  static final int FAILURE = 1;

  /** Bad usage or an invalid configuration. */
  static final int USAGE = 2;

  private Exits() {}

  /** Prints every problem of {@code e}, one line each, naming key, value and why. */
  static int invalidConfig(PrintWriter err, @Nullable Path file, InvalidConfigException e) {
    err.println(
        "gossip: invalid configuration"
            + (file != null ? " (" + file + ")" : "")
            + ", nothing was started:");
    for (InvalidConfigException.Problem p : e.problems()) {
      err.println("  " + p);
    }
    err.flush();
    return USAGE;
  }

  /**
   * The exit code for a start-up failure: {@link #USAGE} when a plugin name is unknown (the message
   * lists those found), {@link #FAILURE} otherwise.
   */
  static int startFailure(PrintWriter err, String what, Throwable e) {
    boolean usage = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      usage |= t instanceof ProviderNotFoundException;
    }
    err.println("gossip: " + what + " could not start: " + e.getMessage());
    err.flush();
    return usage ? USAGE : FAILURE;
  }
}
