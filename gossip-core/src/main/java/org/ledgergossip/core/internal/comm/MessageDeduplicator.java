package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;
import static org.ledgergossip.core.internal.Arguments.positive;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;

/**
 * Remembers the digests of recently received envelopes, so that a message that arrives again
 * (gossip sends each message to several peers, which forward it) is dropped before its signature is
 * verified: {@link #firstSeen} is true once per envelope within {@code ttl}.
 *
 * <p><b>What is compared.</b> The digest is SHA-256 over the envelope's payload <em>and</em> its
 * signature and secret envelope (each length-prefixed), not over the payload alone. Forwarded
 * messages are the received bytes, so real duplicates still match; but a copy of a genuine payload
 * with a forged signature or secret envelope gets a digest of its own. Keyed on the payload alone,
 * such a copy sent ahead of the genuine message would be "first seen", fail verification, and make
 * the genuine message look like a duplicate.
 *
 * <p><b>Bounds.</b> At most {@code maxEntries} digests (32 bytes each plus a timestamp) are kept;
 * when full, the oldest is forgotten first, so the only effect of a flood is that some duplicates
 * are verified again. An entry expires {@code ttl} after it was first seen (a duplicate does not
 * extend it), measured on the injected {@link Clock}.
 *
 * <p>Each duplicate increments {@value #DUPLICATES_COUNTER}.
 *
 * <p><b>Threading.</b> Thread-safe (one lock; each call is a hash and a few map operations).
 * Arguments must not be null.
 */
public final class MessageDeduplicator {

  /** Counter of envelopes {@link #firstSeen} found to be duplicates. */
  public static final String DUPLICATES_COUNTER = "gossip_comm_duplicates_total";

  private final int maxEntries;
  private final long ttlNanos;
  private final Clock clock;
  private final Counter duplicates;
  // Insertion order is expiry order: every entry lives the same ttl on a monotonic clock.
  private final LinkedHashMap<HashCode, Long> seenAt = new LinkedHashMap<>();

  /**
   * Creates an empty deduplicator.
   *
   * @param maxEntries how many digests to keep at most, positive
   * @param ttl how long a digest is remembered, positive
   * @param clock the clock the ttl is measured on
   * @param registry where the duplicate counter goes
   * @throws IllegalArgumentException if {@code maxEntries} or {@code ttl} is not positive
   */
  public MessageDeduplicator(int maxEntries, Duration ttl, Clock clock, MeterRegistry registry) {
    positive(maxEntries, "maxEntries");
    positive(ttl, "ttl");
    this.maxEntries = maxEntries;
    this.ttlNanos = ttl.toNanos();
    this.clock = requireNonNull(clock, "clock");
    this.duplicates =
        Counter.builder(DUPLICATES_COUNTER)
            .description("Received gossip messages dropped as duplicates before verification")
            .register(requireNonNull(registry, "registry"));
  }

  /**
   * True the first time {@code received}'s envelope is seen within the ttl, and then remembers it;
   * false (and counted) for a duplicate.
   */
  public boolean firstSeen(ReceivedEnvelope received) {
    HashCode digest = digest(received.envelope());
    long now = clock.nanoTime();
    synchronized (this) {
      expire(now);
      if (seenAt.containsKey(digest)) {
        duplicates.increment();
        return false;
      }
      seenAt.put(digest, now);
      if (seenAt.size() > maxEntries) {
        Iterator<HashCode> oldest = seenAt.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      return true;
    }
  }

  /** How many digests are remembered now, expired ones not counted. */
  public synchronized int size() {
    expire(clock.nanoTime());
    return seenAt.size();
  }

  private void expire(long now) {
    Iterator<Map.Entry<HashCode, Long>> it = seenAt.entrySet().iterator();
    while (it.hasNext()) {
      if (now - it.next().getValue() < ttlNanos) {
        return;
      }
      it.remove();
    }
  }

  static HashCode digest(Envelope envelope) {
    Hasher hasher = Hashing.sha256().newHasher();
    put(hasher, envelope.getPayload());
    put(hasher, envelope.getSignature());
    if (envelope.hasSecretEnvelope()) {
      hasher.putByte((byte) 1);
      put(hasher, envelope.getSecretEnvelope().getPayload());
      put(hasher, envelope.getSecretEnvelope().getSignature());
    } else {
      hasher.putByte((byte) 0);
    }
    return hasher.hash();
  }

  private static void put(Hasher hasher, ByteString bytes) {
    hasher.putInt(bytes.size());
    hasher.putBytes(bytes.asReadOnlyByteBuffer());
  }

  @Override
  public String toString() {
    return "MessageDeduplicator{maxEntries="
        + maxEntries
        + ", ttl="
        + Duration.ofNanos(ttlNanos)
        + "}";
  }
}
