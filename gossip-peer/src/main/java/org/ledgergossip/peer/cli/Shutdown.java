package org.ledgergossip.peer.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a daemon until SIGTERM or SIGINT, then stops it once and exits 0. The JVM turns those
 * signals into a shutdown, whose exit status would be 128 + the signal; the hook here stops the
 * daemon and then halts with status 0, as OPERATIONS.md asks of a clean stop. {@link #await()}
 * returns when the daemon stopped for another reason ({@link #stopNow()}).
 */
final class Shutdown {

  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Runnable stop;

  Shutdown(Runnable stop) {
    this.stop = stop;
  }

  /** Installs the shutdown hook. */
  Shutdown install() {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping (signal or shutdown)");
                  stopNow();
                  log.info("stopped cleanly");
                  Runtime.getRuntime().halt(Exits.OK);
                },
                "gossip-shutdown"));
    return this;
  }

  /** Stops (once) and releases {@link #await()}. */
  void stopNow() {
    if (stopping.compareAndSet(false, true)) {
      try {
        stop.run();
      } finally {
        stopped.countDown();
      }
    } else {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Blocks until stopped. */
  void await() throws InterruptedException {
    stopped.await();
  }
}
