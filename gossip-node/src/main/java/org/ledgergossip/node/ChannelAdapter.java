package org.ledgergossip.node;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.membership.GossipChannel;
import org.ledgergossip.statetransfer.ChannelPeer;
import org.ledgergossip.statetransfer.StateChannel;

/**
 * Membership's {@link GossipChannel} as state transfer's {@link StateChannel} (the two modules are
 * on the same layer and do not know each other). Thread-safe, as both sides are.
 */
final class ChannelAdapter implements StateChannel {

  private final GossipChannel channel;
  private final String selfOrg;

  ChannelAdapter(GossipChannel channel, String selfOrg) {
    this.channel = channel;
    this.selfOrg = selfOrg;
  }

  @Override
  public String name() {
    return channel.name();
  }

  @Override
  public String selfOrg() {
    return selfOrg;
  }

  @Override
  public List<ChannelPeer> members() {
    return channel.members().stream()
        .map(m -> new ChannelPeer(m.member().pkiId(), m.member().mspId(), m.ledgerHeight()))
        .toList();
  }

  @Override
  public boolean isMember(PkiId peer) {
    return channel.isMember(peer);
  }

  @Override
  public void send(byte[] frame, Collection<PkiId> peers) {
    var unused = channel.send(frame, peers);
  }

  @Override
  public Subscription subscribe(Consumer<ReceivedMessage> handler) {
    return channel.subscribe(handler);
  }

  @Override
  public void setLedgerHeight(long height) {
    channel.setLedgerHeight(height);
  }
}
