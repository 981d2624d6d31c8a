package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.node.ChannelStatus;
import org.ledgergossip.node.GossipNode;

/**
 * Renders a {@link GossipNode}'s {@code GET /status} JSON, field for field as {@code OPERATIONS.md}
 * defines it: {@code peer}, {@code membership} ({@code alive} and {@code dead}, never the peer
 * itself), {@code channels} and {@code rejected}.
 *
 * <p>Where the values come from: {@code peer.*} from the node ({@code id} is the configured {@code
 * peer.id}, given here; {@code externalEndpoint} is null when none is set); members' {@code
 * endpoint} is the one this peer dials (internal when known, else external; null when neither is
 * known), {@code incNum}/{@code seqNum} the stamp of their newest alive message; {@code lastSeenMs}
 * and {@code deadForMs} are approximated as {@link MemberTimes} explains (the view does not expose
 * its own times); channels from {@link GossipNode#statuses()} with {@code left} always false (only
 * current members are listed) and {@code blocks} from the keys {@code push}, {@code pull}, {@code
 * state_transfer}, {@code orderer}; {@code rejected} holds one key per {@code reason} tag of the
 * rejection counters ({@value #WIRE_REJECTED} and the other {@code *_rejected_total} counters of
 * comm, membership, channels and blocks, see {@link #REJECTION_COUNTERS}), summed over counters and
 * tags, sorted by reason.
 *
 * <p>Attach it when the node is built ({@link #attach}): it listens to membership events from then
 * on. Thread-safe; {@link #close()} stops listening.
 */
public final class StatusJson implements AutoCloseable {

  /** The wire codec's counter of refused messages, tagged {@code reason}. */
  public static final String WIRE_REJECTED = "gossip_messages_rejected_total";

  /** Every counter whose {@code reason} tags make up {@code rejected}. */
  public static final List<String> REJECTION_COUNTERS =
      List.of(
          WIRE_REJECTED,
          "gossip_comm_handshake_rejected_total",
          "gossip_membership_alive_rejected_total",
          "gossip_membership_identity_messages_rejected_total",
          "gossip_channel_rejected_total",
          "gossip_block_rejected_total");

  private final GossipNode node;
  private final String peerId;
  private final Clock clock;
  private final MemberTimes times = new MemberTimes();
  private final Runnable unregister;

  private StatusJson(GossipNode node, String peerId, Clock clock) {
    this.node = node;
    this.peerId = peerId;
    this.clock = clock;
    this.unregister = node.addListener(times);
  }

  /**
   * Starts following {@code node} (before or after it starts) for the peer {@code peerId} ({@code
   * peer.id}), timing members on {@code clock} (the node's clock).
   */
  public static StatusJson attach(GossipNode node, String peerId, Clock clock) {
    return new StatusJson(
        requireNonNull(node, "node"),
        requireNonNull(peerId, "peerId"),
        requireNonNull(clock, "clock"));
  }

  /**
   * The JSON now.
   *
   * @throws IllegalStateException if the node is not running (not started yet, or closed)
   */
  public String render() {
    Instant now = clock.instant();
    PkiId self = node.self();
    JsonWriter w = new JsonWriter().beginObject();

    w.name("peer").beginObject();
    w.field("id", peerId);
    w.field("mspId", node.mspId());
    w.field("pkiId", self.toHex());
    w.field("endpoint", node.endpoint().toString());
    w.field("externalEndpoint", node.externalEndpoint().map(Endpoint::toString).orElse(null));
    w.field("incNum", node.incNum());
    w.field("startedAt", DateTimeFormatter.ISO_INSTANT.format(node.startedAt()));
    w.endObject();

    Set<PkiId> known = new HashSet<>();
    w.name("membership").beginObject();
    w.name("alive").beginArray();
    for (Member m : node.alivePeers()) {
      if (m.pkiId().equals(self)) {
        continue;
      }
      known.add(m.pkiId());
      member(w, m);
      w.field("seqNum", m.lastSeen().seqNum());
      w.field("lastSeenMs", times.lastSeenMs(m, now));
      w.endObject();
    }
    w.endArray();
    w.name("dead").beginArray();
    for (Member m : node.deadPeers()) {
      if (m.pkiId().equals(self)) {
        continue;
      }
      known.add(m.pkiId());
      member(w, m);
      w.field("deadForMs", times.deadForMs(m, now));
      w.endObject();
    }
    w.endArray();
    w.endObject();
    times.retain(known);

    w.name("channels").beginArray();
    for (ChannelStatus c : node.statuses()) {
      w.beginObject();
      w.field("name", c.name());
      w.field("height", c.height());
      w.field("isLeader", c.isLeader());
      w.field("leader", c.knownLeader().map(PkiId::toHex).orElse(null));
      w.name("members").beginArray();
      Map<String, Long> members = new TreeMap<>();
      c.memberHeights().forEach((id, h) -> members.put(id.toHex(), h));
      members.forEach(
          (id, h) ->
              w.beginObject()
                  .field("pkiId", id)
                  .field("height", h)
                  .field("left", false)
                  .endObject());
      w.endArray();
      w.name("blocks").beginObject();
      w.field("byPush", c.blocks().getOrDefault("push", 0L));
      w.field("byPull", c.blocks().getOrDefault("pull", 0L));
      w.field("byStateTransfer", c.blocks().getOrDefault("state_transfer", 0L));
      w.field("fromOrderer", c.blocks().getOrDefault("orderer", 0L));
      w.endObject();
      w.endObject();
    }
    w.endArray();

    w.name("rejected").beginObject();
    rejected(node.meterRegistry()).forEach((reason, count) -> w.field(reason, (long) count));
    w.endObject();

    return w.endObject().toString();
  }

  private static void member(JsonWriter w, Member m) {
    w.beginObject();
    w.field("pkiId", m.pkiId().toHex());
    Optional<Endpoint> endpoint = m.preferredEndpoint();
    w.field("endpoint", endpoint.map(Endpoint::toString).orElse(null));
    w.field("mspId", m.mspId());
    w.field("incNum", m.lastSeen().incNum());
  }

  /** The {@code rejected} map: counts by reason, summed over {@link #REJECTION_COUNTERS}. */
  static Map<String, Long> rejected(MeterRegistry registry) {
    Map<String, Long> out = new TreeMap<>();
    for (String name : REJECTION_COUNTERS) {
      for (Counter c : registry.find(name).counters()) {
        String reason = c.getId().getTag("reason");
        if (reason != null) {
          out.merge(reason, (long) c.count(), Long::sum);
        }
      }
    }
    return out;
  }

  /** Stops following the node's membership events. Idempotent. */
  @Override
  public void close() {
    unregister.run();
  }

  @Override
  public String toString() {
    return "StatusJson[" + peerId + "]";
  }
}
