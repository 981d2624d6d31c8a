package org.ledgergossip.statetransfer;

import static java.util.Objects.requireNonNull;

import org.ledgergossip.api.Block;
import org.ledgergossip.core.internal.block.BlockVerifier;

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
   * A validator backed by the core's {@link BlockVerifier} (number, data hash, channel if the
   * verifier names one, orderer signatures): a block it refuses is refused with its reason. The
   * verifier also counts and logs the refusal.
   */
  static BlockValidator of(BlockVerifier verifier) {
    requireNonNull(verifier, "verifier");
    return (channel, block) -> {
      BlockVerifier.Result r = verifier.verify(block, block.number());
      if (!r.isValid()) {
        throw new InvalidBlockException(
            "block "
                + block.number()
                + " of channel "
                + channel
                + " refused ("
                + r.reason()
                + "): "
                + r.detail());
      }
    };
  }

  /**
   * Checks {@code block} of {@code channel}.
   *
   * @throws InvalidBlockException if the block must be refused; the message says why
   */
  void verify(String channel, Block block) throws InvalidBlockException;
}
