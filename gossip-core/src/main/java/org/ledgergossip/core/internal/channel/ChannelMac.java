package org.ledgergossip.core.internal.channel;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.ledgergossip.api.PkiId;

/**
 * The channel MAC of Fabric's {@code GenerateMAC}: {@code SHA-256(pkiId ‖ channelId)}, with the
 * channel id as its UTF-8 bytes. A {@code StateInfo} names its channel only by the MAC of its
 * peer's PKI-ID (and a {@code StateInfoPullRequest} by the MAC of its sender's), so that a peer
 * outside the channel cannot read the channel's name from it; a peer that knows the name recomputes
 * the MAC to find the channel.
 *
 * <p>Stateless and thread-safe. Arguments must not be null ({@link NullPointerException}).
 */
public final class ChannelMac {

  /** The length of a MAC in bytes. */
  public static final int LENGTH = 32;

  private ChannelMac() {}

  /** The MAC of {@code channel} for the peer {@code pkiId}. */
  public static ByteString of(PkiId pkiId, String channel) {
    requireNonNull(pkiId, "pkiId");
    return of(
        UnsafeByteOperations.unsafeWrap(pkiId.bytes().asReadOnlyByteBuffer()),
        ByteString.copyFromUtf8(requireNonNull(channel, "channel")));
  }

  /**
   * The MAC over raw bytes, as received: {@code pkiId} may be empty or malformed (a message from
   * the network), {@code channel} is the UTF-8 channel id.
   */
  static ByteString of(ByteString pkiId, ByteString channel) {
    Hasher hasher = Hashing.sha256().newHasher();
    hasher.putBytes(pkiId.asReadOnlyByteBuffer());
    hasher.putBytes(channel.asReadOnlyByteBuffer());
    return UnsafeByteOperations.unsafeWrap(hasher.hash().asBytes());
  }

  /**
   * True if {@code mac} is the MAC of {@code channel} for {@code pkiId}; compared in constant time.
   */
  public static boolean matches(ByteString mac, PkiId pkiId, String channel) {
    requireNonNull(mac, "mac");
    return MessageDigest.isEqual(mac.toByteArray(), of(pkiId, channel).toByteArray());
  }

  /** The channel id's bytes as they travel in {@code GossipMessage.channel}. */
  public static ByteString channelBytes(String channel) {
    return ByteString.copyFrom(requireNonNull(channel, "channel"), StandardCharsets.UTF_8);
  }
}
