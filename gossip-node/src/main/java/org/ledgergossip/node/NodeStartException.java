package org.ledgergossip.node;

/**
 * A {@link GossipNode} could not start: its listen endpoint is taken, a ledger cannot be opened, a
 * plugin refused its options. The message names what failed (endpoint, channel, folder, plugin);
 * the cause, when there is one, is the plugin's own exception. Whatever had started is stopped
 * again before this is thrown.
 */
public final class NodeStartException extends Exception {

  private static final long serialVersionUID = 1L;

  /** An exception with {@code message} and {@code cause}. */
  public NodeStartException(String message, Throwable cause) {
    super(message, cause);
  }

  /** An exception with {@code message} only. */
  public NodeStartException(String message) {
    super(message);
  }
}
