package org.ledgergossip.core.internal.block;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a peer checks before it stores or forwards a block (Fabric's {@code
 * MSPMessageCryptoService.VerifyBlock} and the orderer's block signature policy):
 *
 * <ol>
 *   <li>the number is the expected one ({@link Reason#WRONG_NUMBER});
 *   <li>when the previous block's header hash is known, {@code previous_hash} equals it ({@link
 *       Reason#BROKEN_CHAIN});
 *   <li>the block has data, and {@code data_hash} is the SHA-256 of the concatenated entries
 *       ({@link Reason#MALFORMED}, {@link Reason#DATA_HASH_MISMATCH});
 *   <li>if {@linkplain Builder#channel a channel is set}, the first entry is an {@code Envelope}
 *       whose channel header names it ({@link Reason#WRONG_CHANNEL});
 *   <li>metadata entry {@code SIGNATURES} holds at least {@linkplain Builder#requiredSignatures k}
 *       signatures over {@code value ‖ signature_header ‖ header bytes}, each by a distinct
 *       identity that the {@link Msp} validates and whose MSP id is one of the {@linkplain
 *       Builder#ordererMspIds orderer MSP ids} ({@link Reason#NO_SIGNATURES}, {@link
 *       Reason#UNTRUSTED_SIGNER}, {@link Reason#BAD_SIGNATURE}).
 * </ol>
 *
 * <p><b>Errors.</b> Blocks come from the network: {@code verify} never throws for their content; it
 * returns a {@link Result} whose reason says why a block is refused. Each refusal is counted in
 * {@value #REJECTED_COUNTER} with tag {@code reason} (every reason registered at zero), and logged
 * with the block number and reason: at WARN the first time for each reason, at DEBUG after.
 *
 * <p><b>Identities.</b> Validated signer identities are cached by their serialized bytes (at most
 * {@value #IDENTITY_CACHE_SIZE}, least recently used evicted, dropped at certificate expiry on the
 * builder's clock); call {@link #forgetIdentities()} after {@link Msp#reload()} to apply
 * revocations.
 *
 * <p><b>Threading.</b> Thread-safe. Arguments must not be null unless marked; no method returns
 * null.
 */
public final class BlockVerifier {

  /** The name of the counter of refused blocks; tag {@code reason} is the lower-case reason. */
  public static final String REJECTED_COUNTER = "gossip_block_rejected_total";

  /** The bound on cached signer identities. */
  public static final int IDENTITY_CACHE_SIZE = 64;

  /** Signatures examined per block at most; more are ignored. */
  public static final int MAX_SIGNATURES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(BlockVerifier.class);

  /** Why a block is refused. */
  public enum Reason {
    /** The bytes are not a block, the block has no data, or its metadata cannot be parsed. */
    MALFORMED,
    /** The number is not the expected one. */
    WRONG_NUMBER,
    /** {@code previous_hash} is not the previous block's header hash. */
    BROKEN_CHAIN,
    /** {@code data_hash} is not the hash of the data. */
    DATA_HASH_MISMATCH,
    /** The first transaction does not belong to the expected channel. */
    WRONG_CHANNEL,
    /** There is no orderer signature in the metadata. */
    NO_SIGNATURES,
    /** Not enough signatures are by valid identities of the orderer MSP ids. */
    UNTRUSTED_SIGNER,
    /** A signature of an orderer identity does not verify over the header. */
    BAD_SIGNATURE;

    /** The value of the counter's {@code reason} tag. */
    public String metricTag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The outcome of a verification.
   *
   * @param reason why the block is refused, or null if it is valid
   * @param detail a human-readable explanation; empty when valid
   */
  public record Result(@Nullable Reason reason, String detail) {

    /** The result of a valid block. */
    public static final Result VALID = new Result(null, "");

    /** Checks the detail. */
    public Result {
      requireNonNull(detail, "detail");
    }

    /** True if the block passed every check. */
    public boolean isValid() {
      return reason == null;
    }
  }

  private final Msp msp;
  private final ImmutableSet<String> ordererMspIds;
  private final int requiredSignatures;
  private final @Nullable String channel;
  private final Clock clock;
  private final ImmutableMap<Reason, Counter> rejected;
  private final EnumMap<Reason, AtomicBoolean> warned = new EnumMap<>(Reason.class);
  private final IdentityCache identities;

  private BlockVerifier(Builder b) {
    this.msp = requireNonNull(b.msp, "msp");
    if (b.ordererMspIds.isEmpty()) {
      throw new IllegalArgumentException("ordererMspIds must not be empty");
    }
    this.ordererMspIds = ImmutableSet.copyOf(b.ordererMspIds);
    this.requiredSignatures = b.requiredSignatures;
    this.channel = b.channel;
    this.clock = b.clock;
    Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    for (Reason reason : Reason.values()) {
      counters.put(
          reason,
          Counter.builder(REJECTED_COUNTER)
              .description("Blocks refused by verification, by reason")
              .tag("reason", reason.metricTag())
              .register(b.registry));
      warned.put(reason, new AtomicBoolean());
    }
    this.rejected = ImmutableMap.copyOf(counters);
    this.identities = new IdentityCache(IDENTITY_CACHE_SIZE);
  }

  /** A builder; {@link Builder#msp} and {@link Builder#ordererMspIds} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a marshalled {@code common.Block} expected to be number {@code expectedNumber},
   * without a chain check.
   */
  public Result verify(byte[] marshalled, long expectedNumber) {
    return verify(marshalled, expectedNumber, null);
  }

  /**
   * Verifies a marshalled {@code common.Block} expected to be number {@code expectedNumber} and to
   * follow the block whose header hash is {@code previousHash} (null: not checked).
   */
  public Result verify(byte[] marshalled, long expectedNumber, @Nullable Bytes previousHash) {
    requireNonNull(marshalled, "marshalled");
    Block block;
    try {
      block = BlockFormat.unmarshal(marshalled);
    } catch (MalformedBlockException | RuntimeException e) {
      return reject(expectedNumber, Reason.MALFORMED, e.getMessage());
    }
    return verify(block, expectedNumber, previousHash);
  }

  /** Verifies {@code block} expected to be number {@code expectedNumber}, without a chain check. */
  public Result verify(Block block, long expectedNumber) {
    return verify(block, expectedNumber, null);
  }

  /** Verifies that {@code block} is valid and directly follows {@code previous}. */
  public Result verifyNext(Block block, Block previous) {
    return verify(block, previous.number() + 1, BlockFormat.headerHash(previous));
  }

  /**
   * Verifies {@code block} expected to be number {@code expectedNumber} and to follow the block
   * whose header hash is {@code previousHash} (null: not checked).
   */
  public Result verify(Block block, long expectedNumber, @Nullable Bytes previousHash) {
    requireNonNull(block, "block");
    try {
      return check(block, expectedNumber, previousHash);
    } catch (RuntimeException e) {
      return reject(block.number(), Reason.MALFORMED, "unexpected failure: " + e);
    }
  }

  /**
   * Forgets cached signer identities, so that the next blocks re-validate them (after a reload).
   */
  public void forgetIdentities() {
    identities.clear();
  }

  /** The refusals counted so far for {@code reason}. */
  public long rejections(Reason reason) {
    return (long) rejected.get(reason).count();
  }

  private Result check(Block block, long expectedNumber, @Nullable Bytes previousHash) {
    long number = block.number();
    if (number != expectedNumber) {
      return reject(
          number, Reason.WRONG_NUMBER, "expected block " + expectedNumber + ", got " + number);
    }
    if (previousHash != null && !previousHash.equals(block.previousHash())) {
      return reject(
          number,
          Reason.BROKEN_CHAIN,
          "previous hash "
              + block.previousHash()
              + " is not the previous header hash "
              + previousHash);
    }
    if (block.data().isEmpty()) {
      return reject(number, Reason.MALFORMED, "block has no data");
    }
    Bytes dataHash = BlockFormat.dataHash(block.data());
    if (!dataHash.equals(block.dataHash())) {
      return reject(
          number,
          Reason.DATA_HASH_MISMATCH,
          "header data hash " + block.dataHash() + " but the data hashes to " + dataHash);
    }
    if (channel != null) {
      Result channelCheck = checkChannel(number, block.data().get(0));
      if (!channelCheck.isValid()) {
        return channelCheck;
      }
    }
    return checkSignatures(block);
  }

  private Result checkChannel(long number, Bytes firstEntry) {
    Optional<String> found = ChannelEnvelopes.channelOf(firstEntry);
    if (found.isEmpty()) {
      return reject(
          number, Reason.MALFORMED, "first entry is not an envelope with a channel header");
    }
    if (!found.get().equals(channel)) {
      return reject(
          number,
          Reason.WRONG_CHANNEL,
          "block of channel '" + found.get() + "', expected '" + channel + "'");
    }
    return Result.VALID;
  }

  private Result checkSignatures(Block block) {
    long number = block.number();
    Bytes entry = block.signaturesMetadata();
    if (entry.isEmpty()) {
      return reject(number, Reason.NO_SIGNATURES, "no signatures metadata");
    }
    Metadata metadata;
    try {
      metadata = Metadata.parseFrom(entry.asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      return reject(
          number, Reason.MALFORMED, "signatures metadata is not a Metadata: " + e.getMessage());
    }
    if (metadata.getSignaturesCount() == 0) {
      return reject(number, Reason.NO_SIGNATURES, "signatures metadata holds no signature");
    }
    ByteString header = UnsafeByteOperations.unsafeWrap(BlockFormat.headerBytes(block));
    Set<PkiId> signers = new HashSet<>();
    boolean badSignatureByOrderer = false;
    StringBuilder problems = new StringBuilder();
    List<MetadataSignature> signatures = metadata.getSignaturesList();
    for (int i = 0; i < Math.min(signatures.size(), MAX_SIGNATURES); i++) {
      MetadataSignature sig = signatures.get(i);
      Identity signer;
      try {
        SignatureHeader sh = SignatureHeader.parseFrom(sig.getSignatureHeader());
        signer = identity(BlockFormat.bytes(sh.getCreator()));
      } catch (InvalidProtocolBufferException | InvalidIdentityException e) {
        problems.append("; signature ").append(i).append(": ").append(e.getMessage());
        continue;
      }
      if (!ordererMspIds.contains(signer.mspId())) {
        problems
            .append("; signature ")
            .append(i)
            .append(": signer of ")
            .append(signer.mspId())
            .append(" is not an orderer");
        continue;
      }
      byte[] signed =
          metadata.getValue().concat(sig.getSignatureHeader()).concat(header).toByteArray();
      if (!signer.verify(signed, sig.getSignature().toByteArray())) {
        badSignatureByOrderer = true;
        problems
            .append("; signature ")
            .append(i)
            .append(" of ")
            .append(signer.mspId())
            .append(" does not verify");
        continue;
      }
      signers.add(signer.pkiId());
      if (signers.size() >= requiredSignatures) {
        return Result.VALID;
      }
    }
    String detail =
        signers.size()
            + " valid orderer signature(s) of "
            + requiredSignatures
            + " required"
            + problems;
    return reject(
        number, badSignatureByOrderer ? Reason.BAD_SIGNATURE : Reason.UNTRUSTED_SIGNER, detail);
  }

  private Identity identity(Bytes serialized) throws InvalidIdentityException {
    Identity cached = identities.get(serialized);
    if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
      return cached;
    }
    Identity validated = msp.validate(serialized);
    identities.put(serialized, validated);
    return validated;
  }

  private Result reject(long number, Reason reason, @Nullable String detail) {
    String text = detail == null ? "" : detail;
    rejected.get(reason).increment();
    String label = channel == null ? "" : " of channel " + channel;
    if (warned.get(reason).compareAndSet(false, true)) {
      LOG.warn("refused block {}{}: {} ({})", number, label, reason, text);
    } else {
      LOG.debug("refused block {}{}: {} ({})", number, label, reason, text);
    }
    return new Result(reason, text);
  }

  @Override
  public String toString() {
    return "BlockVerifier[orderers=" + ordererMspIds + ", k=" + requiredSignatures + "]";
  }

  /** Builds a {@link BlockVerifier}; not thread-safe. */
  public static final class Builder {
    private @Nullable Msp msp;
    private Set<String> ordererMspIds = Set.of();
    private int requiredSignatures = 1;
    private @Nullable String channel;
    private Clock clock = Clock.system();
    private MeterRegistry registry = new SimpleMeterRegistry();

    private Builder() {}

    /** The MSP that validates signer identities (it must trust the orderer organisations). */
    public Builder msp(Msp msp) {
      this.msp = requireNonNull(msp, "msp");
      return this;
    }

    /** The MSP ids whose identities may sign blocks; not empty. */
    public Builder ordererMspIds(Set<String> ordererMspIds) {
      this.ordererMspIds = Set.copyOf(ordererMspIds);
      return this;
    }

    /**
     * How many distinct orderer identities must sign (k of n); default 1.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder requiredSignatures(int requiredSignatures) {
      if (requiredSignatures < 1) {
        throw new IllegalArgumentException(
            "requiredSignatures must be positive, was " + requiredSignatures);
      }
      this.requiredSignatures = requiredSignatures;
      return this;
    }

    /**
     * The channel the blocks belong to: enables the channel header check of the first transaction
     * (as Fabric's peer does) and names the channel in log lines. Default: unchecked.
     */
    public Builder channel(String channel) {
      this.channel = requireNonNull(channel, "channel");
      return this;
    }

    /** The clock that expires cached identities; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Where the refusal counters go; default a private registry. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The verifier.
     *
     * @throws NullPointerException if no MSP was set
     * @throws IllegalArgumentException if no orderer MSP id was set
     */
    public BlockVerifier build() {
      return new BlockVerifier(this);
    }
  }
}
