package org.ledgergossip.core.internal.channel;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.comm.Subscription;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every channel-restricted message a {@link Comm} receives to the handler of the channel it
 * belongs to: Fabric's {@code lookupChannelForMsg}. Channel-restricted means a tag of {@code
 * CHAN_AND_ORG}, {@code CHAN_ONLY} or {@code CHAN_OR_ORG} ({@link WireCodec#isChannelRestricted});
 * every such message goes through the router, no other.
 *
 * <p><b>Which channel.</b> A {@code StateInfo} by its {@code channel_MAC}, which must be the {@link
 * ChannelMac} of a joined channel for the {@code pki_id} the message speaks for; a {@code
 * StateInfoPullRequest} by its {@code channel_MAC}, which must be the MAC of a joined channel for
 * the sender's PKI-ID (proved by the handshake); every other message by its {@code channel} field,
 * which must name a joined channel exactly (UTF-8 bytes).
 *
 * <p><b>Drops.</b> A message for a channel not joined is dropped, counted in {@value
 * #DROPPED_COUNTER}{@code {reason}} ({@link DropReason}), logged at warning level the first time
 * for each reason and at debug level afterwards. The router checks nothing else (signatures, the
 * sender's organisation): that is the channel handler's job.
 *
 * <p><b>Threading.</b> Thread-safe; {@link #join} and leaving may race with arrivals (a message
 * that arrives while its channel is being left may still reach the handler once). Handlers run on
 * the comm's callback threads, as any comm subscriber (see {@link Comm}); an exception they throw
 * is logged by the comm. Arguments must not be null ({@link NullPointerException}).
 */
public final class ChannelRouter implements AutoCloseable {

  /** Counter of channel-restricted messages dropped, tagged {@code reason}. */
  public static final String DROPPED_COUNTER = "gossip_channel_messages_dropped_total";

  private static final Logger log = LoggerFactory.getLogger(ChannelRouter.class);

  /** Why the router dropped a message. */
  public enum DropReason {
    /** The message's {@code channel} field names no channel this peer joined. */
    UNKNOWN_CHANNEL,
    /** The {@code channel_MAC} of a state info or state-info pull request matches no channel. */
    UNKNOWN_MAC;

    /** The lower-case name, for metric tags. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A joined channel: its name, its name's bytes, and its handler. */
  private record Joined(String name, ByteString nameBytes, Consumer<ReceivedMessage> handler) {}

  private final Map<ByteString, Joined> joined = new ConcurrentHashMap<>();
  private final ImmutableMap<DropReason, Counter> dropped;
  private final Set<DropReason> warned = ConcurrentHashMap.newKeySet();
  private final Subscription subscription;

  private ChannelRouter(Comm comm, MeterRegistry registry) {
    Map<DropReason, Counter> counters = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      counters.put(
          reason,
          Counter.builder(DROPPED_COUNTER)
              .description("Channel-restricted gossip messages dropped by the channel router")
              .tag("reason", reason.metricTag())
              .register(registry));
    }
    this.dropped = ImmutableMap.copyOf(counters);
    this.subscription = comm.subscribe(ChannelRouter::isChannelRestricted, this::dispatch);
  }

  /**
   * A router of {@code comm}'s channel-restricted messages, subscribed at once; its counters go to
   * {@code registry} (every reason registered at zero).
   */
  public static ChannelRouter subscribe(Comm comm, MeterRegistry registry) {
    return new ChannelRouter(requireNonNull(comm, "comm"), requireNonNull(registry, "registry"));
  }

  /** True for the messages the router takes: those with a channel-restricted tag. */
  public static boolean isChannelRestricted(ReceivedMessage message) {
    return WireCodec.isChannelRestricted(message.message().getTag());
  }

  /**
   * Joins {@code channel}: from now on its messages go to {@code handler}.
   *
   * @return the registration; closing it leaves the channel (its messages are dropped again)
   * @throws IllegalArgumentException if {@code channel} is empty
   * @throws IllegalStateException if the channel is already joined
   */
  public Subscription join(String channel, Consumer<ReceivedMessage> handler) {
    requireNonNull(channel, "channel");
    requireNonNull(handler, "handler");
    if (channel.isEmpty()) {
      throw new IllegalArgumentException("a channel name cannot be empty");
    }
    ByteString key = ChannelMac.channelBytes(channel);
    Joined entry = new Joined(channel, key, handler);
    if (joined.putIfAbsent(key, entry) != null) {
      throw new IllegalStateException("channel " + channel + " is already joined");
    }
    return () -> joined.remove(key, entry);
  }

  /** True if {@code channel} is joined. */
  public boolean isJoined(String channel) {
    return joined.containsKey(ChannelMac.channelBytes(channel));
  }

  /** The channels joined now; an immutable snapshot. */
  public Set<String> channels() {
    ImmutableSet.Builder<String> out = ImmutableSet.builder();
    joined.values().forEach(j -> out.add(j.name()));
    return out.build();
  }

  /**
   * The joined channel {@code message} belongs to, received from {@code sender}, or why it belongs
   * to none; {@code message} must be channel-restricted.
   */
  Route route(GossipMessage message, PkiId sender) {
    return switch (message.getContentCase()) {
      case STATE_INFO ->
          byMac(message.getStateInfo().getChannelMAC(), message.getStateInfo().getPkiId());
      case STATE_INFO_PULL_REQ ->
          byMac(
              message.getStateInfoPullReq().getChannelMAC(),
              UnsafeByteOperations.unsafeWrap(sender.bytes().asReadOnlyByteBuffer()));
      default -> {
        Joined j = joined.get(message.getChannel());
        yield j == null ? new Route.Dropped(DropReason.UNKNOWN_CHANNEL) : new Route.To(j.name());
      }
    };
  }

  private Route byMac(ByteString mac, ByteString pkiId) {
    if (mac.size() == ChannelMac.LENGTH) {
      byte[] expected = mac.toByteArray();
      for (Joined j : joined.values()) {
        if (MessageDigest.isEqual(expected, ChannelMac.of(pkiId, j.nameBytes()).toByteArray())) {
          return new Route.To(j.name());
        }
      }
    }
    return new Route.Dropped(DropReason.UNKNOWN_MAC);
  }

  /** Where {@link #route} sends a message: to a channel, or nowhere for a reason. */
  sealed interface Route {
    /** To the handler of {@code channel}. */
    record To(String channel) implements Route {}

    /** Dropped for {@code reason}. */
    record Dropped(DropReason reason) implements Route {}
  }

  private void dispatch(ReceivedMessage message) {
    Route route = route(message.message(), message.senderPkiId());
    Optional<Joined> target =
        route instanceof Route.To to
            ? Optional.ofNullable(joined.get(ChannelMac.channelBytes(to.channel())))
            : Optional.empty();
    if (target.isPresent()) {
      target.get().handler().accept(message);
      return;
    }
    // A channel left between routing and lookup counts as unknown.
    DropReason reason = route instanceof Route.Dropped d ? d.reason() : DropReason.UNKNOWN_CHANNEL;
    requireNonNull(dropped.get(reason), "counter").increment();
    if (warned.add(reason)) {
      log.warn(
          "Dropped {} from {} ({}): not for a channel this peer joined; further drops are counted"
              + " in {} and logged at debug",
          message.contentCase(),
          message.senderPkiId(),
          reason.metricTag(),
          DROPPED_COUNTER);
    } else {
      log.debug("Dropped {} ({})", message, reason.metricTag());
    }
  }

  /** The number of messages dropped so far for {@code reason}. */
  public double droppedCount(DropReason reason) {
    return requireNonNull(dropped.get(requireNonNull(reason, "reason")), "counter").count();
  }

  /** Unsubscribes from the comm; no handler call starts afterwards. Idempotent. */
  @Override
  public void close() {
    subscription.close();
  }

  @Override
  public String toString() {
    return "ChannelRouter{channels=" + channels() + "}";
  }
}
