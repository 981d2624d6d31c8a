package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

/**
 * A block from the ordering service failed verification; given to {@link
 * org.ledgergossip.spi.orderer.BlockSource.Listener#onFailure}.
 */
public final class BlockRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The refused block's number. */
  private final long blockNumber;

  /** The verifier's reason, lower case. */
  private final String reason;

  /**
   * @param blockNumber the refused block's number
   * @param reason the verifier's reason, lower case ({@code bad_signature}, {@code broken_chain},
   *     ...)
   * @param detail the verifier's explanation
   */
  public BlockRejectedException(long blockNumber, String reason, String detail) {
    super("block " + blockNumber + " refused: " + reason + " (" + detail + ")");
    this.blockNumber = blockNumber;
    this.reason = requireNonNull(reason, "reason");
  }

  /** The refused block's number. */
  public long blockNumber() {
    return blockNumber;
  }

  /** The verifier's reason, lower case, as in the {@code gossip_block_rejected_total} counter. */
  public String reason() {
    return reason;
  }
}
