package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.StateInfoPullRequest;
import org.hyperledger.fabric.protos.gossip.StateInfoSnapshot;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.core.internal.RandomPeers;
import org.ledgergossip.core.internal.channel.ChannelMac;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.ConnectionEvent;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.SendStatus;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.emitter.BatchingEmitter;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.membership.ChannelRejections.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel this peer joined (Fabric's {@code gossipChannel}): its state info, the state infos of
 * the other peers, and who its members are. Made by {@link GossipChannels#join}.
 *
 * <p><b>State info.</b> Our signed {@code StateInfo} ({@code pki_id}, {@code timestamp = (inc_num,
 * seq_num)}, {@code channel_MAC}, {@code properties{ledger_height, left_channel}}) is pushed at
 * join, and again at the next {@code publishStateInfoInterval} tick after it changed ({@link
 * #setLedgerHeight}), through a {@link BatchingEmitter} to {@code propagatePeerNum} random alive,
 * connected peers of the channel's organisations (only of our organisation when we have no external
 * endpoint, as Fabric); it is also sent to each such peer as a connection to it opens. Every {@code
 * requestStateInfoInterval} a {@code StateInfoPullRequest} goes to {@code pullPeerNum} such peers,
 * which answer with a {@code StateInfoSnapshot} of the state infos they hold (for a requester of
 * another organisation, those of our organisation's peers without external endpoint left out). A
 * received state info is verified ({@link StateInfoStore}) and, when newer than the one held for
 * its peer, kept and forwarded (never to its sender).
 *
 * <p><b>Members.</b> {@link #members()}: the alive peers of the view whose organisation is one of
 * the channel's and whose latest state info does not say {@code left_channel}. A peer's state info
 * is forgotten when the view purges the peer. {@link #send} and {@link #sendToMembers} never send
 * to anyone else.
 *
 * <p><b>Input.</b> Every message the router hands to the channel must come from a peer (by its
 * handshake) of one of the channel's organisations; refusals are counted in {@value
 * GossipChannels#REJECTED_COUNTER}{@code {reason}}. Channel messages other than state info (blocks,
 * leadership, pulls) go to the {@link #subscribe subscribers}.
 *
 * <p><b>Leaving</b> ({@link GossipChannels#leave}): a last state info with {@code left_channel =
 * true} is sent to every alive connected peer of the channel's organisations; then the channel's
 * messages are dropped by the router (pulls unanswered), the timers stop and {@link #members()} is
 * empty.
 *
 * <p><b>Threading.</b> Thread-safe: handlers run on the comm's threads, timers and pushes on the
 * scheduler. Arguments must not be null ({@link NullPointerException}); nothing returned is null.
 */
public final class GossipChannel {

  private static final Logger log = LoggerFactory.getLogger(GossipChannel.class);

  /** A state info to push, and whether it may go to other organisations. */
  private static final class Push {
    private final byte[] frame;
    private final boolean anyOrg;

    Push(byte[] frame, boolean anyOrg) {
      this.frame = frame;
      this.anyOrg = anyOrg;
    }

    byte[] frame() {
      return frame;
    }

    boolean anyOrg() {
      return anyOrg;
    }
  }

  private final String name;
  private final ByteString nameBytes;
  private final ImmutableSet<String> orgs;
  private final ChannelContext ctx;
  private final StateInfoStore store;
  private final BatchingEmitter<Push, PkiId> emitter;
  private final List<Consumer<ReceivedMessage>> subscribers = new CopyOnWriteArrayList<>();

  private final Object lock = new Object();

  @GuardedBy("lock")
  private long ledgerHeight;

  @GuardedBy("lock")
  private boolean dirty;

  private volatile boolean left;

  @GuardedBy("lock")
  private boolean stopped;

  @GuardedBy("lock")
  private @Nullable Envelope own;

  @GuardedBy("lock")
  private final List<Cancellable> timers = new ArrayList<>();

  @GuardedBy("lock")
  private @Nullable Subscription routing;

  @GuardedBy("lock")
  private @Nullable Runnable viewListener;

  @GuardedBy("lock")
  private @Nullable Subscription connections;

  GossipChannel(String name, Set<String> orgs, ChannelContext ctx) {
    this.name = requireNonNull(name, "name");
    this.nameBytes = ChannelMac.channelBytes(name);
    this.orgs = ImmutableSet.copyOf(orgs);
    this.ctx = requireNonNull(ctx, "ctx");
    this.store =
        new StateInfoStore(
            name,
            ctx.self(),
            this.orgs,
            ctx.identities(),
            ctx.rejections(),
            ctx.registry(),
            ctx.maxStateInfos());
    long seed;
    synchronized (ctx.random()) {
      seed = ctx.random().nextLong();
    }
    this.emitter =
        BatchingEmitter.<Push, PkiId>builder(
                push -> candidates(push.anyOrg()), this::emit, ctx.scheduler())
            .config(ctx.config())
            .random(new SplittableRandom(seed))
            .meterRegistry(ctx.registry())
            .name("stateinfo/" + name)
            .build();
  }

  /** Registers with the router, starts the timers and pushes our first state info. */
  void start() {
    Duration publish = ctx.config().publishStateInfoInterval();
    Duration request = ctx.config().requestStateInfoInterval();
    synchronized (lock) {
      own = signOwn();
      routing = ctx.router().join(name, this::onMessage);
      viewListener = ctx.view().addListener(this::onViewEvent);
      connections = ctx.comm().subscribeConnections(this::onConnection);
      timers.add(ctx.scheduler().scheduleAtFixedRate(this::publishTick, publish, publish));
      timers.add(ctx.scheduler().scheduleAtFixedRate(this::pull, request, request));
    }
    push();
  }

  /** The channel's name. */
  public String name() {
    return name;
  }

  /** The MSP ids of the channel's organisations. */
  public Set<String> orgs() {
    return orgs;
  }

  /** True once this peer has left the channel. */
  public boolean hasLeft() {
    return left;
  }

  /** Our ledger height on this channel, as our state info publishes it. */
  public long ledgerHeight() {
    synchronized (lock) {
      return ledgerHeight;
    }
  }

  /**
   * Sets our ledger height; a change is published at the next {@code publishStateInfoInterval}.
   *
   * @throws IllegalArgumentException if {@code height} is negative
   */
  public void setLedgerHeight(long height) {
    if (height < 0) {
      throw new IllegalArgumentException("ledger height must not be negative, was " + height);
    }
    synchronized (lock) {
      if (height != ledgerHeight) {
        ledgerHeight = height;
        dirty = true;
      }
    }
  }

  /** The channel's members now (see the class documentation); empty once we left. */
  public List<ChannelMember> members() {
    if (left) {
      return List.of();
    }
    List<ChannelMember> out = new ArrayList<>();
    for (Member member : ctx.view().alive()) {
      if (orgs.contains(member.mspId())) {
        store
            .latest(member.pkiId())
            .filter(s -> !s.record().leftChannel())
            .ifPresent(
                s ->
                    out.add(
                        new ChannelMember(member, s.record().ledgerHeight(), s.record().time())));
      }
    }
    return List.copyOf(out);
  }

  /** True if {@code peer} is a member of the channel now. */
  public boolean isMember(PkiId peer) {
    requireNonNull(peer, "peer");
    return members().stream().anyMatch(m -> m.member().pkiId().equals(peer));
  }

  /** The ledger height of each member, by PKI-ID, in the order of {@link #members()}. */
  public Map<PkiId, Long> ledgerHeights() {
    Map<PkiId, Long> out = new LinkedHashMap<>();
    members().forEach(m -> out.put(m.member().pkiId(), m.ledgerHeight()));
    return ImmutableMap.copyOf(out);
  }

  /**
   * Sends {@code frame} to every member of the channel. Never blocks.
   *
   * @return the status for each member sent to
   */
  public Map<PkiId, SendStatus> sendToMembers(byte[] frame) {
    requireNonNull(frame, "frame");
    return ctx.comm().send(frame, members().stream().map(m -> m.member().pkiId()).toList());
  }

  /**
   * Sends {@code frame} to those of {@code peers} that are members of the channel now; the others
   * are skipped (and missing from the result). Never blocks.
   *
   * @return the status for each member sent to
   */
  public Map<PkiId, SendStatus> send(byte[] frame, Collection<PkiId> peers) {
    requireNonNull(frame, "frame");
    Set<PkiId> members =
        ImmutableSet.copyOf(members().stream().map(m -> m.member().pkiId()).toList());
    List<PkiId> targets = new ArrayList<>();
    for (PkiId peer : peers) {
      if (members.contains(requireNonNull(peer, "peer"))) {
        targets.add(peer);
      } else {
        log.debug("channel {}: not sending to {}, not a member", name, peer);
      }
    }
    return ctx.comm().send(frame, targets);
  }

  /**
   * Registers {@code handler} for this channel's messages other than state info, state-info
   * snapshots and pull requests (blocks, leadership, block pulls), from peers of the channel's
   * organisations. Runs on the comm's threads.
   *
   * @return a handle that unregisters it
   */
  public Subscription subscribe(Consumer<ReceivedMessage> handler) {
    requireNonNull(handler, "handler");
    subscribers.add(handler);
    return () -> subscribers.remove(handler);
  }

  // ---- leaving and stopping ----

  /** Publishes {@code left_channel} to every candidate, then stops. */
  void leave() {
    Envelope farewell;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      left = true;
      farewell = signOwn();
      own = farewell;
    }
    encode(farewell).ifPresent(frame -> ctx.comm().send(frame, candidates(ctx.selfExternal())));
    stop();
  }

  /** Stops the timers and the emitter and leaves the router, without telling anyone. */
  void stop() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      timers.forEach(Cancellable::cancel);
      timers.clear();
      if (routing != null) {
        routing.close();
      }
      if (viewListener != null) {
        viewListener.run();
      }
      if (connections != null) {
        connections.close();
      }
    }
    emitter.stop();
    store.clear();
  }

  // ---- receiving ----

  private void onMessage(ReceivedMessage m) {
    if (left) {
      return;
    }
    String senderOrg = m.sender().identity().mspId();
    if (!orgs.contains(senderOrg)) {
      ctx.rejections()
          .reject(
              Reason.SENDER_NOT_IN_CHANNEL,
              "channel "
                  + name
                  + ": "
                  + m.contentCase()
                  + " from "
                  + m.senderPkiId()
                  + " of "
                  + senderOrg
                  + ", not one of "
                  + orgs);
      return;
    }
    switch (m.contentCase()) {
      case STATE_INFO -> onStateInfo(m.envelope(), m.senderPkiId());
      case STATE_INFO_PULL_REQ -> respondSnapshot(m, senderOrg);
      case STATE_SNAPSHOT -> onSnapshot(m);
      default -> deliver(m);
    }
  }

  private void onStateInfo(ReceivedEnvelope received, PkiId from) {
    if (store.offer(received, from)) {
      StateInfoRecord record = StateInfoRecord.of(received.message()).orElseThrow();
      emitter.add(new Push(received.frame().toByteArray(), hasExternal(record.pkiId())), from);
    }
  }

  private void onSnapshot(ReceivedMessage m) {
    store.offerSnapshot(m.message().getStateSnapshot(), m.senderPkiId(), ctx.codec());
  }

  private void respondSnapshot(ReceivedMessage m, String requesterOrg) {
    boolean sameOrg = requesterOrg.equals(ctx.selfOrg());
    StateInfoSnapshot.Builder snapshot = StateInfoSnapshot.newBuilder();
    Envelope mine;
    synchronized (lock) {
      mine = own;
    }
    if (mine != null && (sameOrg || ctx.selfExternal())) {
      snapshot.addElements(mine);
    }
    // To another organisation, not the state of our organisation's peers without external endpoint.
    snapshot.addAllElements(
        store.disclosed(
            s -> sameOrg || !s.mspId().equals(ctx.selfOrg()) || hasExternal(s.record().pkiId())));
    GossipMessage reply =
        GossipMessage.newBuilder()
            .setChannel(nameBytes)
            .setTag(GossipMessage.Tag.CHAN_OR_ORG)
            .setStateSnapshot(snapshot)
            .build();
    try {
      m.respond(ctx.codec().encode(reply));
    } catch (MalformedMessageException e) {
      log.warn("channel {}: cannot answer {}'s pull: {}", name, m.senderPkiId(), e.getMessage());
    }
  }

  private void deliver(ReceivedMessage m) {
    if (subscribers.isEmpty()) {
      ctx.rejections()
          .reject(
              Reason.UNHANDLED,
              "channel " + name + ": " + m.contentCase() + " from " + m.senderPkiId());
      return;
    }
    subscribers.forEach(s -> s.accept(m));
  }

  private void onViewEvent(MembershipEvent event) {
    if (event.type() == MembershipEvent.Type.PURGED) {
      store.purge(event.member().pkiId());
    }
  }

  /**
   * Sends our state info to a peer as soon as a connection to it opens, if it is of one of the
   * channel's organisations and our state info may go to it (our organisation, or any when we have
   * an external endpoint): the peers of a channel learn each other's state info a link delay after
   * they connect, rather than at the next pull (Fabric pushes it again every {@code
   * publishStateInfoInterval} while the channel has no members).
   */
  private void onConnection(ConnectionEvent event) {
    AuthenticatedPeer peer = event.peer();
    if (event.type() != ConnectionEvent.Type.OPENED || peer.probe() || left) {
      return;
    }
    String org = peer.identity().mspId();
    if (!orgs.contains(org) || !(ctx.selfExternal() || org.equals(ctx.selfOrg()))) {
      return;
    }
    Envelope envelope;
    synchronized (lock) {
      if (stopped) {
        return;
      }
      envelope = own;
    }
    if (envelope != null) {
      encode(envelope).ifPresent(frame -> ctx.comm().send(frame, peer.pkiId()));
    }
  }

  // ---- publishing and pulling ----

  @GuardedBy("lock")
  private Envelope signOwn() {
    return new StateInfoRecord(
            ctx.self(),
            new PeerTime(ctx.incNum(), ctx.seq().incrementAndGet()),
            ChannelMac.of(ctx.self(), name),
            ledgerHeight,
            left)
        .sign(ctx.msp());
  }

  private void publishTick() {
    synchronized (lock) {
      if (stopped || !dirty) {
        return;
      }
      dirty = false;
      own = signOwn();
    }
    push();
  }

  private void push() {
    Envelope envelope;
    synchronized (lock) {
      envelope = own;
    }
    if (envelope != null) {
      encode(envelope).ifPresent(frame -> emitter.add(new Push(frame, ctx.selfExternal()), null));
    }
  }

  private void pull() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
    }
    List<PkiId> peers =
        RandomPeers.choose(candidates(true), ctx.config().pullPeerNum(), ctx.random());
    GossipMessage request =
        GossipMessage.newBuilder()
            .setTag(GossipMessage.Tag.CHAN_OR_ORG)
            .setStateInfoPullReq(
                StateInfoPullRequest.newBuilder().setChannelMAC(ChannelMac.of(ctx.self(), name)))
            .build();
    try {
      byte[] frame = ctx.codec().encode(request);
      ctx.comm().send(frame, peers);
    } catch (MalformedMessageException e) {
      log.warn("channel {}: cannot send a state-info pull request: {}", name, e.getMessage());
    }
  }

  /**
   * The alive, connected peers of the channel's organisations (of our organisation only, unless
   * {@code anyOrg}), in the view's order.
   */
  private List<PkiId> candidates(boolean anyOrg) {
    List<PkiId> out = new ArrayList<>();
    for (Member member : ctx.view().alive()) {
      if (orgs.contains(member.mspId())
          && (anyOrg || member.mspId().equals(ctx.selfOrg()))
          && ctx.comm().connection(member.pkiId()).isPresent()) {
        out.add(member.pkiId());
      }
    }
    return out;
  }

  private boolean hasExternal(PkiId peer) {
    return ctx.view().member(peer).flatMap(Member::externalEndpoint).isPresent();
  }

  private void emit(Map<PkiId, List<Push>> byDestination) {
    byDestination.forEach((peer, pushes) -> pushes.forEach(p -> ctx.comm().send(p.frame(), peer)));
  }

  private Optional<byte[]> encode(Envelope envelope) {
    try {
      return Optional.of(ctx.codec().encode(envelope));
    } catch (MalformedMessageException e) {
      log.warn("channel {}: cannot send our state info: {}", name, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "GossipChannel{" + name + ", orgs=" + orgs + ", left=" + left + "}";
  }
}
