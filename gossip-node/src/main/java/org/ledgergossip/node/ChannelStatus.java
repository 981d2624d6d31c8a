package org.ledgergossip.node;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.PkiId;

/**
 * A snapshot of one channel as this node sees it.
 *
 * @param name the channel's name
 * @param height this node's ledger height on the channel: the number of the next block to commit
 * @param isLeader true while this node leads its organisation in the channel
 * @param leader the leader of this node's organisation as last declared within {@code
 *     leaderAliveThreshold} (this node when it leads), or null when none is known
 * @param memberHeights every other member of the channel now, with the ledger height of its latest
 *     state info
 * @param blocks blocks received, by way: {@code push}, {@code pull}, {@code state_transfer}, {@code
 *     orderer}
 */
public record ChannelStatus(
    String name,
    long height,
    boolean isLeader,
    @Nullable PkiId leader,
    Map<PkiId, Long> memberHeights,
    Map<String, Long> blocks) {

  /**
   * @throws NullPointerException if a component other than {@code leader} is null
   */
  public ChannelStatus {
    requireNonNull(name, "name");
    memberHeights = Map.copyOf(memberHeights);
    blocks = Map.copyOf(blocks);
  }

  /** The {@link #leader} if one is known. */
  public Optional<PkiId> knownLeader() {
    return Optional.ofNullable(leader);
  }
}
