package example.broken;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;

/**
 * Hands frames to {@code downstream} in swapped pairs: the first frame of a pair is held until the
 * second arrives, then the second is delivered, then the first. A held frame is delivered alone
 * after {@code patience} or just before the close, so no frame is lost or delayed past the close.
 *
 * <p>Callbacks (from the transport and from the patience timer) are serialised on this object, so
 * {@code downstream} still never sees two at once, and never a frame after the close.
 */
final class SwappingHandler implements ConnectionHandler {

  private final ConnectionHandler downstream;
  private final Scheduler scheduler;
  private final Duration patience;
  private byte @Nullable [] held; // guarded by this
  private @Nullable Connection heldOn; // guarded by this
  private @Nullable Cancellable timer; // guarded by this
  private boolean closed; // guarded by this

  SwappingHandler(ConnectionHandler downstream, Scheduler scheduler, Duration patience) {
    this.downstream = downstream;
    this.scheduler = scheduler;
    this.patience = patience;
  }

  @Override
  public synchronized void onFrame(Connection connection, byte[] frame) {
    if (closed) {
      return;
    }
    byte[] first = held;
    if (first == null) {
      held = frame;
      heldOn = connection;
      try {
        timer = scheduler.schedule(this::releaseHeld, patience);
      } catch (RuntimeException schedulerClosed) {
        releaseHeld();
      }
      return;
    }
    held = null;
    heldOn = null;
    cancelTimer();
    downstream.onFrame(connection, frame);
    downstream.onFrame(connection, first);
  }

  @Override
  public synchronized void onClose(Connection connection, @Nullable Throwable cause) {
    if (closed) {
      return;
    }
    releaseHeld();
    cancelTimer();
    closed = true;
    downstream.onClose(connection, cause);
  }

  /** Delivers the held frame alone, if there is one. */
  private synchronized void releaseHeld() {
    byte[] frame = held;
    Connection connection = heldOn;
    if (frame == null || connection == null || closed) {
      return;
    }
    held = null;
    heldOn = null;
    downstream.onFrame(connection, frame);
  }

  private void cancelTimer() {
    Cancellable t = timer;
    if (t != null) {
      t.cancel();
      timer = null;
    }
  }
}
