package org.ledgergossip.statetransfer;

import static java.util.Objects.requireNonNull;

import org.ledgergossip.api.PkiId;

/**
 * A member of a channel as state transfer sees it: who it is, its organisation, and the ledger
 * height its latest state info announced.
 *
 * @param pkiId the peer's PKI-ID
 * @param mspId the MSP id of its organisation
 * @param ledgerHeight the height of its ledger on the channel (the number of its next block)
 */
public record ChannelPeer(PkiId pkiId, String mspId, long ledgerHeight) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code pkiId} or {@code mspId} is null
   * @throws IllegalArgumentException if {@code ledgerHeight} is negative
   */
  public ChannelPeer {
    requireNonNull(pkiId, "pkiId");
    requireNonNull(mspId, "mspId");
    if (ledgerHeight < 0) {
      throw new IllegalArgumentException("ledger height must not be negative, was " + ledgerHeight);
    }
  }
}
