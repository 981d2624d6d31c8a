package org.ledgergossip.statetransfer;

import org.ledgergossip.api.Block;

/**
 * Verifies a block received from another peer before it is stored, forwarded or buffered for
 * commit: Fabric's {@code VerifyBlock} (block number, channel, data hash, the orderer signatures
 * the channel's block validation policy requires). Blocks of the ordering service reached through
 * {@link StateTransfer#deliverFromOrderer} are trusted (their source verified them).
 *
 * <p><b>Threading.</b> Called from the comm's threads, possibly concurrently; must be thread-safe
 * and should be fast (it runs once per block received, before forwarding).
 */
@FunctionalInterface
public interface BlockValidator {

  /** A validator that accepts every block: for tests and trusted networks only. */
  BlockValidator ACCEPT_ALL = (channel, block) -> {};

  /**
   * Checks {@code block} of {@code channel}.
   *
   * @throws InvalidBlockException if the block must be refused; the message says why
   */
  void verify(String channel, Block block) throws InvalidBlockException;
}
