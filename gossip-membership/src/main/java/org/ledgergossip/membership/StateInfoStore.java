package org.ledgergossip.membership;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.StateInfoSnapshot;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.channel.ChannelMac;
import org.ledgergossip.core.internal.comm.SignatureVerifier;
import org.ledgergossip.core.internal.store.MessageStore;
import org.ledgergossip.core.internal.store.RemovalCause;
import org.ledgergossip.core.internal.store.ReplacementPolicy;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.ChannelRejections.Reason;
import org.ledgergossip.spi.msp.Identity;

/**
 * The verified {@code StateInfo} messages of one channel, the newest per PKI-ID (a {@link
 * MessageStore} with {@link ReplacementPolicy#newestPerKey}): Fabric's {@code stateInfoCache}.
 *
 * <p>{@link #offer} checks, refusing with the first {@link Reason} that applies: a state info with
 * PKI-ID and timestamp ({@code MALFORMED}); the channel's MAC for that PKI-ID ({@code WRONG_MAC});
 * then, unless the store would refuse it as stale anyway ({@link MessageStore#checkValid}, which
 * saves the signature check of a duplicate), a known identity of the peer ({@code
 * UNKNOWN_IDENTITY}), whose organisation is one of the channel's ({@code ORG_NOT_IN_CHANNEL}), and
 * a valid signature by it ({@code BAD_SIGNATURE}). Our own state info is ignored.
 *
 * <p>Bounded by the store's {@code maxSize}; a peer's entry goes when {@link #purge} is called for
 * it (its membership expired). Thread-safe.
 */
final class StateInfoStore {

  /** A verified state info with its envelope, as received, and its peer's organisation. */
  record Stored(StateInfoRecord record, Envelope envelope, String mspId) {}

  private final String channel;
  private final PkiId self;
  private final ImmutableSet<String> orgs;
  private final Function<PkiId, Optional<Identity>> identities;
  private final ChannelRejections rejections;
  private final MessageStore<Stored> store;
  private final int maxSize;
  private final Map<PkiId, Stored> latest = new ConcurrentHashMap<>();

  StateInfoStore(
      String channel,
      PkiId self,
      ImmutableSet<String> orgs,
      Function<PkiId, Optional<Identity>> identities,
      ChannelRejections rejections,
      MeterRegistry registry,
      int maxSize) {
    this.maxSize = maxSize;
    this.channel = requireNonNull(channel, "channel");
    this.self = requireNonNull(self, "self");
    this.orgs = requireNonNull(orgs, "orgs");
    this.identities = requireNonNull(identities, "identities");
    this.rejections = requireNonNull(rejections, "rejections");
    this.store =
        MessageStore.builder(
                ReplacementPolicy.<Stored>newestPerKey(
                    s -> s.record().pkiId(), s -> s.record().time()))
            .maxSize(maxSize)
            .meterRegistry(registry)
            .name("stateinfo/" + channel)
            .removalListener(this::removed)
            .build();
  }

  /**
   * Verifies and stores a received state info (see the class documentation).
   *
   * @param from the peer it came from, for the log
   * @return true if it was new: newer than any stored for its peer; the caller forwards it
   */
  boolean offer(ReceivedEnvelope received, PkiId from) {
    Optional<StateInfoRecord> parsed = StateInfoRecord.of(received.message());
    if (parsed.isEmpty()) {
      rejections.reject(
          Reason.MALFORMED,
          "channel " + channel + ": " + received + " from " + from + " is not a valid state info");
      return false;
    }
    StateInfoRecord record = parsed.get();
    if (!MessageDigest.isEqual(
        record.channelMac().toByteArray(), ChannelMac.of(record.pkiId(), channel).toByteArray())) {
      rejections.reject(
          Reason.WRONG_MAC,
          "channel " + channel + ": state info of " + record.pkiId() + " from " + from);
      return false;
    }
    if (record.pkiId().equals(self)) {
      return false;
    }
    Stored candidate = new Stored(record, received.envelope(), "");
    if (!store.checkValid(candidate)) {
      return false;
    }
    Optional<Identity> identity = identities.apply(record.pkiId());
    if (identity.isEmpty()) {
      rejections.reject(
          Reason.UNKNOWN_IDENTITY,
          "channel "
              + channel
              + ": no identity known for "
              + record.pkiId()
              + " (from "
              + from
              + ")");
      return false;
    }
    String org = identity.get().mspId();
    if (!orgs.contains(org)) {
      rejections.reject(
          Reason.ORG_NOT_IN_CHANNEL,
          "channel "
              + channel
              + ": state info of "
              + record.pkiId()
              + " of "
              + org
              + ", not one of "
              + orgs
              + " (from "
              + from
              + ")");
      return false;
    }
    if (!SignatureVerifier.verify(received, identity.get())) {
      rejections.reject(
          Reason.BAD_SIGNATURE,
          "channel "
              + channel
              + ": state info of "
              + record.pkiId()
              + " has a bad signature (from "
              + from
              + ")");
      return false;
    }
    Stored stored = new Stored(record, received.envelope(), org);
    synchronized (this) {
      // Under the lock, so that the newest stored is also the one in latest.
      if (!store.add(stored)) {
        return false;
      }
      latest.put(record.pkiId(), stored);
    }
    return true;
  }

  /** The newest state info of {@code peer}, if any. */
  Optional<Stored> latest(PkiId peer) {
    return Optional.ofNullable(latest.get(peer));
  }

  /**
   * Verifies and stores each element of a received snapshot (no more than the store's bound); an
   * element that does not decode is counted as {@code MALFORMED}.
   */
  void offerSnapshot(StateInfoSnapshot snapshot, PkiId from, WireCodec codec) {
    List<Envelope> elements = snapshot.getElementsList();
    int limit = Math.min(elements.size(), maxSize);
    for (int i = 0; i < limit; i++) {
      try {
        offer(codec.decodeEmbedded(elements.get(i)), from);
      } catch (MalformedMessageException e) {
        rejections.reject(
            Reason.MALFORMED,
            "channel " + channel + ": snapshot element from " + from + ": " + e.getMessage());
      }
    }
  }

  /** The envelopes of the state infos held that {@code which} accepts, oldest first. */
  List<Envelope> disclosed(Predicate<Stored> which) {
    List<Envelope> out = new ArrayList<>();
    for (Stored s : store.messages()) {
      if (which.test(s)) {
        out.add(s.envelope());
      }
    }
    return out;
  }

  /** Forgets {@code peer}'s state info. */
  void purge(PkiId peer) {
    store.purge(s -> s.record().pkiId().equals(peer));
  }

  /** Forgets everything. */
  void clear() {
    store.purge(s -> true);
    store.stop();
  }

  private void removed(Stored stored, RemovalCause cause) {
    latest.remove(stored.record().pkiId(), stored);
  }
}
