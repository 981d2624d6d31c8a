package org.ledgergossip.node;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.LeadershipEvent;
import org.ledgergossip.api.MembershipEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's listeners, each called in turn; one that throws is logged and skipped. */
final class NodeEvents {

  private static final Logger log = LoggerFactory.getLogger(NodeEvents.class);

  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();

  Runnable add(NodeListener listener) {
    requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void membership(MembershipEvent event) {
    each(l -> l.onMembership(event), event);
  }

  void leadership(LeadershipEvent event) {
    each(l -> l.onLeadership(event), event);
  }

  void committed(String channel, Block block) {
    each(l -> l.onCommit(channel, block), block);
  }

  private void each(Consumer<NodeListener> call, Object what) {
    for (NodeListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("node listener {} failed on {}", l, what, e);
      }
    }
  }
}
