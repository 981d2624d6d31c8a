package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.ledgergossip.spi.msp.Msp;

/**
 * Signed deliver requests as a Fabric peer makes them ({@code protoutil
 * .CreateSignedEnvelopeWithTLSBinding} of a {@code SeekInfo}): a {@code DELIVER_SEEK_INFO} channel
 * header with the time (whole seconds) and the SHA-256 of the client's TLS certificate, a signature
 * header with the creator and a nonce, signed by the local identity. Stateless and thread-safe.
 */
final class SeekRequests {

  /** Fabric's {@code math.MaxUint64} as a Java long: "no stop". */
  static final long MAX_UINT64 = -1L;

  private SeekRequests() {}

  /** {@code SeekInfo} from {@code height} to the end of time, blocking until blocks are ready. */
  static SeekInfo blocksFrom(long height) {
    return SeekInfo.newBuilder()
        .setStart(specified(height))
        .setStop(specified(MAX_UINT64))
        .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)
        .setContentType(SeekInfo.SeekContentType.BLOCK)
        .build();
  }

  /** The position of block {@code number}. */
  static SeekPosition specified(long number) {
    return SeekPosition.newBuilder()
        .setSpecified(SeekSpecified.newBuilder().setNumber(number))
        .build();
  }

  /** A request for {@code info} on {@code channel}, signed by {@code signer}. */
  static Envelope envelope(
      String channel, SeekInfo info, Msp signer, byte[] tlsCertHash, Instant now, byte[] nonce) {
    requireNonNull(channel, "channel");
    ChannelHeader channelHeader =
        ChannelHeader.newBuilder()
            .setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
            .setChannelId(channel)
            .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
            .setTlsCertHash(ByteString.copyFrom(tlsCertHash))
            .build();
    SignatureHeader signatureHeader =
        SignatureHeader.newBuilder()
            .setCreator(
                UnsafeByteOperations.unsafeWrap(
                    signer.localIdentity().serialized().asReadOnlyByteBuffer()))
            .setNonce(ByteString.copyFrom(nonce))
            .build();
    ByteString payload =
        Payload.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setChannelHeader(channelHeader.toByteString())
                    .setSignatureHeader(signatureHeader.toByteString()))
            .setData(info.toByteString())
            .build()
            .toByteString();
    return Envelope.newBuilder()
        .setPayload(payload)
        .setSignature(UnsafeByteOperations.unsafeWrap(signer.sign(payload.toByteArray())))
        .build();
  }
}
