package org.ledgergossip.statetransfer;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;

/**
 * What state transfer needs from one channel this peer joined: its members with their ledger
 * heights, a way to send to them, its incoming messages, and a place to publish our own height.
 * Membership's {@code GossipChannel} provides all of it; the layer above (the node) adapts one to
 * this interface, since modules of the same layer do not depend on each other.
 *
 * <p><b>Contract.</b> {@link #members()} never includes this peer. {@link #send} sends only to
 * peers that are members when it is called and never blocks. {@link #subscribe} delivers the
 * channel's messages other than state info (blocks, block pulls, state requests and responses,
 * leadership) from peers of the channel's organisations, sender authenticated by the handshake.
 *
 * <p><b>Threading.</b> Every method is thread-safe and may be called from the comm's threads and
 * the scheduler. Arguments are never null; nothing returned is null.
 */
public interface StateChannel {

  /** The channel's name. */
  String name();

  /** The MSP id of this peer's organisation. */
  String selfOrg();

  /** The channel's members now, other than this peer, with their ledger heights. */
  List<ChannelPeer> members();

  /** True if {@code peer} is a member of the channel now. */
  boolean isMember(PkiId peer);

  /**
   * Sends {@code frame} (a marshalled envelope, not modified afterwards) to those of {@code peers}
   * that are members now; never blocks, never throws for a peer it cannot reach.
   */
  void send(byte[] frame, Collection<PkiId> peers);

  /**
   * Registers {@code handler} for the channel's messages (see the class documentation).
   *
   * @return a handle that unregisters it
   */
  Subscription subscribe(Consumer<ReceivedMessage> handler);

  /** Publishes our ledger height on the channel (in Fabric, through our state info). */
  void setLedgerHeight(long height);
}
