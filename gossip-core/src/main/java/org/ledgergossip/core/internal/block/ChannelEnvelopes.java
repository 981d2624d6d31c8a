package org.ledgergossip.core.internal.block;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.spi.msp.Msp;

/**
 * Fabric transaction envelopes ({@code common.Envelope{payload = Payload{header{channel_header,
 * signature_header}, data}, signature}}) as an ordering service puts them in blocks: the block
 * entries that carry a channel id, which a peer's {@link BlockVerifier} checks.
 *
 * <p>Stateless and thread-safe. Arguments must not be null; no method returns null.
 */
public final class ChannelEnvelopes {

  private ChannelEnvelopes() {}

  /** The kind of envelope, with Fabric's {@code HeaderType} numbers. */
  public enum Type {
    /** {@code MESSAGE} (0): opaque application data. */
    MESSAGE(HeaderType.MESSAGE_VALUE),
    /** {@code CONFIG} (1): a channel configuration, as in a genesis block. */
    CONFIG(HeaderType.CONFIG_VALUE),
    /** {@code ENDORSER_TRANSACTION} (3): a transaction. */
    ENDORSER_TRANSACTION(HeaderType.ENDORSER_TRANSACTION_VALUE);

    private final int number;

    Type(int number) {
      this.number = number;
    }

    /** Fabric's {@code HeaderType} number. */
    public int number() {
      return number;
    }
  }

  /**
   * A marshalled envelope of {@code channel} carrying {@code data}, signed by {@code signer}'s
   * local identity. Its transaction id is Fabric's: the hex SHA-256 of {@code nonce ‖ creator}.
   */
  public static Bytes create(
      String channel, Type type, Instant timestamp, Bytes data, Msp signer, byte[] nonce) {
    requireNonNull(channel, "channel");
    requireNonNull(type, "type");
    requireNonNull(data, "data");
    Bytes creator = signer.localIdentity().serialized();
    var txDigest = BlockFormat.sha256();
    txDigest.update(nonce);
    txDigest.update(creator.asReadOnlyByteBuffer());
    String txId = HexFormat.of().formatHex(txDigest.digest());
    ChannelHeader channelHeader =
        ChannelHeader.newBuilder()
            .setType(type.number())
            .setChannelId(channel)
            .setTxId(txId)
            .setTimestamp(
                Timestamp.newBuilder()
                    .setSeconds(timestamp.getEpochSecond())
                    .setNanos(timestamp.getNano()))
            .build();
    SignatureHeader signatureHeader =
        SignatureHeader.newBuilder()
            .setCreator(BlockFormat.byteString(creator))
            .setNonce(ByteString.copyFrom(nonce))
            .build();
    ByteString payload =
        Payload.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setChannelHeader(channelHeader.toByteString())
                    .setSignatureHeader(signatureHeader.toByteString()))
            .setData(BlockFormat.byteString(data))
            .build()
            .toByteString();
    byte[] signature = signer.sign(payload.toByteArray());
    return Bytes.copyOf(
        Envelope.newBuilder()
            .setPayload(payload)
            .setSignature(UnsafeByteOperations.unsafeWrap(signature))
            .build()
            .toByteArray());
  }

  /**
   * The channel id in the channel header of a marshalled envelope, or empty if {@code envelope} is
   * not an envelope with a readable channel header.
   */
  public static Optional<String> channelOf(Bytes envelope) {
    try {
      Envelope env = Envelope.parseFrom(envelope.asReadOnlyByteBuffer());
      if (env.getPayload().isEmpty()) {
        return Optional.empty();
      }
      Payload payload = Payload.parseFrom(env.getPayload());
      if (!payload.hasHeader() || payload.getHeader().getChannelHeader().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getChannelId());
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
