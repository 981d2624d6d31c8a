package org.ledgergossip.node;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.SignatureVerifier;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.election.LeadershipMessages;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.GossipChannel;
import org.ledgergossip.membership.MembershipView;
import org.ledgergossip.spi.election.ElectionContext;
import org.ledgergossip.spi.election.ElectionSettings;
import org.ledgergossip.spi.election.ElectionStrategy;
import org.ledgergossip.spi.election.LeadershipMessage;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.Msp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ElectionContext} of one channel, on a real {@link GossipChannel}: our leadership
 * messages are signed ({@link LeadershipMessages}) and sent to every alive member of our
 * organisation in the channel; those received are checked before the strategy sees them.
 *
 * <p>A received leadership message reaches {@link ElectionStrategy#onMessage} only if it is well
 * formed and of this channel, its sender is not us, is a member of our organisation alive in the
 * membership view, its identity is known and its signature valid, and its stamp is newer than the
 * last one accepted from that sender. Anything else is dropped, counted in {@value #DROPPED} by
 * reason, and logged once per reason at WARN.
 *
 * <p><b>Threading.</b> Received messages are checked on the comm's threads and handed to the
 * strategy on the scheduler; every other method may be called from any thread.
 */
final class LeadershipAdapter implements ElectionContext {

  /** Leadership messages dropped, by channel and reason. */
  static final String DROPPED = "gossip_leader_election_dropped_total";

  private static final Logger log = LoggerFactory.getLogger(LeadershipAdapter.class);

  /** Senders whose last stamp is remembered. */
  private static final int MAX_SENDERS = 10_000;

  private final String channel;
  private final PkiId self;
  private final String selfOrg;
  private final ElectionSettings settings;
  private final Scheduler scheduler;
  private final GossipChannel gossipChannel;
  private final MembershipView view;
  private final Function<PkiId, Optional<Identity>> identities;
  private final Msp msp;
  private final WireCodec codec;
  private final long incNum;
  private final RandomGenerator random;
  private final MeterRegistry meters;
  private final BiConsumer<Boolean, String> onChange;
  private final AtomicLong seq = new AtomicLong();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  @GuardedBy("lastStamps")
  private final Map<PkiId, PeerTime> lastStamps =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<PkiId, PeerTime> eldest) {
          return size() > MAX_SENDERS;
        }
      };

  private volatile @Nullable ElectionStrategy strategy;
  private volatile @Nullable Subscription subscription;
  private volatile @Nullable PkiId declaredLeader;
  private volatile long declaredAtNanos;

  LeadershipAdapter(
      GossipChannel gossipChannel,
      String selfOrg,
      ElectionSettings settings,
      Scheduler scheduler,
      MembershipView view,
      Function<PkiId, Optional<Identity>> identities,
      Msp msp,
      WireCodec codec,
      long incNum,
      RandomGenerator random,
      MeterRegistry meters,
      BiConsumer<Boolean, String> onChange) {
    this.gossipChannel = requireNonNull(gossipChannel, "gossipChannel");
    this.channel = gossipChannel.name();
    this.self = msp.localIdentity().pkiId();
    this.selfOrg = requireNonNull(selfOrg, "selfOrg");
    this.settings = requireNonNull(settings, "settings");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    this.view = requireNonNull(view, "view");
    this.identities = requireNonNull(identities, "identities");
    this.msp = msp;
    this.codec = requireNonNull(codec, "codec");
    this.incNum = incNum;
    this.random = requireNonNull(random, "random");
    this.meters = requireNonNull(meters, "meters");
    this.onChange = requireNonNull(onChange, "onChange");
  }

  /** Connects {@code strategy} (made by a provider from this context) and starts receiving. */
  void attach(ElectionStrategy strategy) {
    this.strategy = requireNonNull(strategy, "strategy");
    this.subscription = gossipChannel.subscribe(this::onReceived);
  }

  /** Stops receiving. */
  void detach() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
  }

  /**
   * The leader of our organisation as last declared within {@code leaderAliveThreshold}, if any
   * (not counting us).
   */
  Optional<PkiId> declaredLeader() {
    PkiId leader = declaredLeader;
    long age = scheduler.clock().nanoTime() - declaredAtNanos;
    if (leader == null || age > settings.leaderAliveThreshold().toNanos()) {
      return Optional.empty();
    }
    return Optional.of(leader);
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public PkiId self() {
    return self;
  }

  @Override
  public ElectionSettings settings() {
    return settings;
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public Set<PkiId> alivePeers() {
    return sameOrgMembers();
  }

  private Set<PkiId> sameOrgMembers() {
    return gossipChannel.members().stream()
        .filter(m -> selfOrg.equals(m.member().mspId()) && view.isAlive(m.member().pkiId()))
        .map(m -> m.member().pkiId())
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void gossip(boolean declaration) {
    Envelope envelope =
        LeadershipMessages.sign(
            channel,
            self,
            new PeerTime(incNum, seq.incrementAndGet()),
            declaration,
            random.nextLong(),
            msp);
    byte[] frame;
    try {
      frame = codec.encode(envelope);
    } catch (MalformedMessageException e) {
      log.error("channel {}: cannot encode our own leadership message", channel, e);
      return;
    }
    var unused = gossipChannel.send(frame, List.copyOf(sameOrgMembers()));
  }

  @Override
  public void leadershipChanged(boolean leader, String reason) {
    onChange.accept(leader, reason);
  }

  @Override
  public void messageDropped(LeadershipMessage message, String reason) {
    drop(reason.replace('-', '_'), "from " + message.sender() + ", dropped by the strategy");
  }

  // ---- receiving ----

  private void onReceived(ReceivedMessage m) {
    if (m.contentCase()
        != org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase.LEADERSHIP_MSG) {
      return;
    }
    Optional<LeadershipMessage> read = LeadershipMessages.read(m.message(), channel);
    if (read.isEmpty()) {
      drop("malformed", "from " + m.senderPkiId());
      return;
    }
    LeadershipMessage message = read.get();
    PkiId sender = message.sender();
    if (sender.equals(self)) {
      drop("self", "our own message came back through " + m.senderPkiId());
      return;
    }
    Optional<String> org = view.member(sender).map(member -> member.mspId());
    if (org.isEmpty() || !view.isAlive(sender)) {
      drop("not_alive", "from " + sender + ", not an alive member");
      return;
    }
    if (!selfOrg.equals(org.get())) {
      drop("foreign_org", "from " + sender + " of " + org.get());
      return;
    }
    Optional<Identity> identity = identities.apply(sender);
    if (identity.isEmpty()) {
      drop("unknown_identity", "from " + sender);
      return;
    }
    if (!SignatureVerifier.verify(m.envelope(), identity.get())) {
      drop("bad_signature", "claimed by " + sender + ", relayed by " + m.senderPkiId());
      return;
    }
    synchronized (lastStamps) {
      PeerTime last = lastStamps.get(sender);
      if (last != null && !message.timestamp().isNewerThan(last)) {
        drop("stale", "from " + sender + ": " + message.timestamp() + " not newer than " + last);
        return;
      }
      lastStamps.put(sender, message.timestamp());
    }
    if (message.declaration()) {
      declaredLeader = sender;
      declaredAtNanos = scheduler.clock().nanoTime();
    }
    ElectionStrategy s = strategy;
    if (s != null) {
      scheduler.execute(() -> s.onMessage(message));
    }
  }

  private void drop(String reason, String detail) {
    Counter.builder(DROPPED)
        .description("Leadership messages dropped, by reason")
        .tag("channel", channel)
        .tag("reason", reason)
        .register(meters)
        .increment();
    if (warned.add(reason)) {
      log.warn(
          "channel {}: leadership message dropped ({}): {}; further drops for this reason are"
              + " logged at debug",
          channel,
          reason,
          detail);
    } else {
      log.debug("channel {}: leadership message dropped ({}): {}", channel, reason, detail);
    }
  }
}
