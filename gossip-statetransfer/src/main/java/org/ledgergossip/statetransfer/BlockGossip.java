package org.ledgergossip.statetransfer;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.hyperledger.fabric.protos.gossip.DataUpdate;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.RandomPeers;
import org.ledgergossip.core.internal.comm.ReceivedMessage;
import org.ledgergossip.core.internal.emitter.BatchingEmitter;
import org.ledgergossip.core.internal.pull.PullAdapter;
import org.ledgergossip.core.internal.pull.PullEngine;
import org.ledgergossip.core.internal.pull.PullMessages;
import org.ledgergossip.core.internal.store.MessageStore;
import org.ledgergossip.core.internal.store.ReplacementPolicy;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.statetransfer.StateMetrics.Drop;
import org.ledgergossip.statetransfer.StateMetrics.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The block half of Fabric's {@code gossipChannel}: the block store (the last {@code
 * maxBlockCountToStore} block messages, expiring after 100 × {@code pullInterval}), the push of
 * block messages through a {@link BatchingEmitter} to {@code propagatePeerNum} random channel
 * members of our organisation, and the block pull ({@link PullEngine} {@code "blocks:<channel>"},
 * {@code msg_type BLOCK_MSG}, digests the block numbers in decimal as Fabric's).
 *
 * <p><b>Receiving a push.</b> From a peer of another organisation: dropped ({@code foreign_org}). A
 * block the store already has (or older than its window): ignored silently (the normal fate of a
 * forwarded copy). Otherwise decoded and checked by the {@link BlockValidator}; a refused block is
 * dropped and counted ({@code invalid_block}), never stored, forwarded or committed. An accepted
 * one is stored, advertised to the pull, forwarded once (never to its sender) and handed to the
 * sink; when it is half the payload buffer's window or more beyond our height, the sender (which is
 * past the block we miss, most likely) is named to the gap hint; when it is nearer but out of
 * order, to the gap suspicion (which looks again after a short delay).
 *
 * <p><b>Pull.</b> The ingress filter asks only for numbers in {@code [height, height + window)}
 * (the ledger-height filter of Fabric, bounded above by the payload buffer's window); the egress
 * filter discloses blocks only to channel members of our organisation. Pulled block messages are
 * verified one by one like pushes; accepted ones are stored and handed to the sink, not forwarded.
 *
 * <p><b>Threading.</b> Thread-safe; handlers run on the comm's threads, rounds and flushes on the
 * scheduler.
 */
final class BlockGossip {

  private static final Logger log = LoggerFactory.getLogger(BlockGossip.class);

  /** A block message held by the store: its number and envelope as received or made. */
  record StoredBlock(long seq, Envelope envelope) {
    StoredBlock {
      requireNonNull(envelope, "envelope");
    }
  }

  private final StateChannel channel;
  private final ByteString channelBytes;
  private final WireCodec codec;
  private final BlockValidator validator;
  private final StateMetrics metrics;
  private final LongSupplier height;
  private final int window;
  private final int pullPeerNum;
  private final RandomGenerator random;
  private final BiFunction<Block, Via, PayloadBuffer.Result> sink;
  private final Consumer<PkiId> gapHint;
  private final Consumer<PkiId> gapSuspected;
  private final MessageStore<StoredBlock> store;
  private final Map<Long, StoredBlock> bySeq = new ConcurrentHashMap<>();
  private final Map<Long, Pulled> pending = new ConcurrentHashMap<>();
  private final BatchingEmitter<byte[], PkiId> emitter;
  private final PullEngine<PkiId> engine;

  /** A verified block of a pull response, waiting for the engine's verdict. */
  private record Pulled(StoredBlock stored, Block block) {}

  BlockGossip(
      StateChannel channel,
      ByteString channelBytes,
      WireCodec codec,
      Scheduler scheduler,
      GossipConfig config,
      MeterRegistry registry,
      RandomGenerator random,
      BlockValidator validator,
      StateMetrics metrics,
      LongSupplier height,
      int window,
      BiFunction<Block, Via, PayloadBuffer.Result> sink,
      Consumer<PkiId> gapHint,
      Consumer<PkiId> gapSuspected) {
    this.channel = channel;
    this.channelBytes = channelBytes;
    this.codec = codec;
    this.validator = validator;
    this.metrics = metrics;
    this.height = height;
    this.window = window;
    this.pullPeerNum = config.pullPeerNum();
    this.random = random;
    this.sink = sink;
    this.gapHint = gapHint;
    this.gapSuspected = gapSuspected;
    String name = channel.name();
    this.store =
        MessageStore.builder(
                ReplacementPolicy.<StoredBlock>keepLast(
                    config.maxBlockCountToStore(), StoredBlock::seq))
            .name("blocks/" + name)
            .meterRegistry(registry)
            .expireAfter(config.pullInterval().multipliedBy(100), scheduler)
            .removalListener((b, cause) -> forget(b))
            .build();
    long seed;
    synchronized (random) {
      seed = random.nextLong();
    }
    this.emitter =
        BatchingEmitter.<byte[], PkiId>builder(m -> sameOrgMembers(), this::emit, scheduler)
            .config(config)
            .random(new SplittableRandom(seed))
            .meterRegistry(registry)
            .name("blocks/" + name)
            .build();
    this.engine =
        PullEngine.builder("blocks:" + name, new Adapter())
            .scheduler(scheduler)
            .meterRegistry(registry)
            .random(new SplittableRandom(seed + 1))
            .pullInterval(config.pullInterval())
            .digestWaitTime(config.digestWaitTime())
            .requestWaitTime(config.requestWaitTime())
            .responseWaitTime(config.responseWaitTime())
            .maxItemLength(20)
            .ingressFilter(this::wanted)
            .egressFilter((peer, item) -> isSameOrgMember(peer))
            .listener((from, items) -> items.forEach(this::acceptPulled))
            .build();
  }

  void start() {
    engine.start();
  }

  void stop() {
    engine.stop();
    emitter.stop();
    store.stop();
  }

  /** True for the messages this class handles: block messages and block pulls. */
  static boolean handles(ReceivedMessage m) {
    return m.contentCase() == GossipMessage.ContentCase.DATA_MSG
        || PullMessages.typeOf(m.message()) == PullMsgType.BLOCK_MSG;
  }

  /** How many block messages the store holds. */
  int stored() {
    return store.size();
  }

  /** Gossips a block of our own (the leader's): stored, advertised and pushed. */
  void gossip(Block block) {
    Payload payload = Blocks.payload(block);
    Envelope envelope = WireCodec.envelopeOf(Blocks.dataMessage(channelBytes, payload));
    StoredBlock stored = new StoredBlock(block.number(), envelope);
    if (!keep(stored)) {
      return;
    }
    try {
      emitter.add(codec.encode(envelope), null);
    } catch (MalformedMessageException e) {
      log.warn(
          "channel {}: cannot push block {}: {}", channel.name(), block.number(), e.getMessage());
    }
  }

  void onMessage(ReceivedMessage m) {
    if (!m.sender().identity().mspId().equals(channel.selfOrg())) {
      metrics.drop(
          Drop.FOREIGN_ORG,
          log,
          "channel "
              + channel.name()
              + ": "
              + m.contentCase()
              + " from "
              + m.senderPkiId()
              + " of "
              + m.sender().identity().mspId());
      return;
    }
    PkiId from = m.senderPkiId();
    GossipMessage g = m.message();
    switch (m.contentCase()) {
      case DATA_MSG -> onPush(m);
      case HELLO -> engine.onHello(from, g.getHello().getNonce());
      case DATA_DIG ->
          engine.onDigest(from, items(g.getDataDig().getDigestsList()), g.getDataDig().getNonce());
      case DATA_REQ ->
          engine.onRequest(from, items(g.getDataReq().getDigestsList()), g.getDataReq().getNonce());
      case DATA_UPDATE -> onUpdate(from, g.getDataUpdate());
      default -> {
        // Not ours: handles() lets only block messages and block pulls through.
      }
    }
  }

  private void onPush(ReceivedMessage m) {
    Payload payload = m.message().getDataMsg().getPayload();
    long seq = payload.getSeqNum();
    StoredBlock stored = new StoredBlock(seq, m.envelope().envelope());
    // A block we already committed is still stored and forwarded if new to the store (as Fabric):
    // a copy that reached us by anti-entropy first must not stop the push here.
    if (seq < 0 || !store.checkValid(stored)) {
      return;
    }
    Block block;
    try {
      block = verified(payload, m.senderPkiId());
    } catch (InvalidBlockException e) {
      return;
    }
    if (!keep(stored)) {
      return;
    }
    emitter.add(m.envelope().frame().toByteArray(), m.senderPkiId());
    PayloadBuffer.Result r = sink.apply(block, Via.PUSH);
    long ahead = seq - height.getAsLong();
    if (r == PayloadBuffer.Result.ADDED && ahead > 0 && ahead < window / 2) {
      // Out of order: a block before it is missing, or still on its way; look again shortly.
      gapSuspected.accept(m.senderPkiId());
    } else if (r == PayloadBuffer.Result.TOO_FAR
        || (r == PayloadBuffer.Result.ADDED && ahead >= window / 2)) {
      // Half the window (or more) beyond our height: we likely miss a block that the sender is
      // past; ask it at once (anti-entropy) rather than wait for a check or the buffer to overflow.
      gapHint.accept(m.senderPkiId());
    }
  }

  private void onUpdate(PkiId from, DataUpdate update) {
    List<String> items = new ArrayList<>(update.getDataCount());
    List<Pulled> verified = new ArrayList<>(update.getDataCount());
    for (Envelope envelope : update.getDataList()) {
      ReceivedEnvelope received;
      try {
        received = codec.decodeEmbedded(envelope);
      } catch (MalformedMessageException e) {
        metrics.drop(Drop.MALFORMED, log, "pulled block from " + from + ": " + e.getMessage());
        continue;
      }
      if (received.contentCase() != ContentCase.DATA_MSG) {
        metrics.drop(
            Drop.MALFORMED, log, received.contentCase() + " in a block update from " + from);
        continue;
      }
      Payload payload = received.message().getDataMsg().getPayload();
      try {
        Block block = verified(payload, from);
        verified.add(new Pulled(new StoredBlock(block.number(), envelope), block));
        items.add(Long.toString(block.number()));
      } catch (InvalidBlockException e) {
        // Counted by verified().
      }
    }
    verified.forEach(p -> pending.put(p.stored().seq(), p));
    try {
      engine.onResponse(from, items, update.getNonce());
    } finally {
      verified.forEach(p -> pending.remove(p.stored().seq(), p));
    }
  }

  private void acceptPulled(String item) {
    Pulled p = pending.get(Long.parseLong(item));
    if (p == null) {
      return;
    }
    if (store.add(p.stored())) {
      bySeq.put(p.stored().seq(), p.stored());
      var unused = sink.apply(p.block(), Via.PULL);
    } else {
      engine.remove(item);
    }
  }

  /** The block of {@code payload}, decoded and verified; a failure is counted and thrown. */
  private Block verified(Payload payload, PkiId from) throws InvalidBlockException {
    Block block;
    try {
      block = Blocks.of(payload);
    } catch (InvalidBlockException e) {
      metrics.drop(
          Drop.MALFORMED,
          log,
          "channel " + channel.name() + ": block message from " + from + ": " + e.getMessage());
      throw e;
    }
    try {
      validator.verify(channel.name(), block);
    } catch (InvalidBlockException e) {
      metrics.drop(
          Drop.INVALID_BLOCK,
          log,
          "channel "
              + channel.name()
              + ": block "
              + block.number()
              + " from "
              + from
              + " refused: "
              + e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      metrics.drop(
          Drop.INVALID_BLOCK,
          log,
          "channel " + channel.name() + ": validator failed on block " + block.number() + ": " + e);
      throw new InvalidBlockException("validator failed", e);
    }
    return block;
  }

  private boolean keep(StoredBlock stored) {
    if (!store.add(stored)) {
      return false;
    }
    bySeq.put(stored.seq(), stored);
    engine.add(Long.toString(stored.seq()));
    return true;
  }

  private void forget(StoredBlock stored) {
    if (bySeq.remove(stored.seq(), stored)) {
      engine.remove(Long.toString(stored.seq()));
    }
  }

  private boolean wanted(String item) {
    long seq;
    try {
      seq = Long.parseLong(item);
    } catch (NumberFormatException e) {
      return false;
    }
    long h = height.getAsLong();
    return seq >= h && seq - h < window;
  }

  private List<PkiId> sameOrgMembers() {
    String org = channel.selfOrg();
    return channel.members().stream()
        .filter(p -> p.mspId().equals(org))
        .map(ChannelPeer::pkiId)
        .toList();
  }

  private boolean isSameOrgMember(PkiId peer) {
    String org = channel.selfOrg();
    return channel.members().stream()
        .anyMatch(p -> p.pkiId().equals(peer) && p.mspId().equals(org));
  }

  private void emit(Map<PkiId, List<byte[]>> byDestination) {
    byDestination.forEach(
        (peer, frames) -> frames.forEach(frame -> channel.send(frame, List.of(peer))));
  }

  private void send(GossipMessage.Builder message, PkiId dest) {
    try {
      byte[] frame =
          codec.encode(
              message.setChannel(channelBytes).setTag(GossipMessage.Tag.CHAN_AND_ORG).build());
      channel.send(frame, List.of(dest));
    } catch (MalformedMessageException e) {
      log.warn("channel {}: cannot send a block pull message: {}", channel.name(), e.getMessage());
    }
  }

  private static List<String> items(List<ByteString> digests) {
    List<String> out = new ArrayList<>(digests.size());
    for (ByteString d : digests) {
      out.add(d.toStringUtf8());
    }
    return out;
  }

  private static List<ByteString> digests(List<String> items) {
    List<ByteString> out = new ArrayList<>(items.size());
    items.forEach(i -> out.add(ByteString.copyFromUtf8(i)));
    return out;
  }

  /** The engine's window on the channel: the four pull messages with {@code BLOCK_MSG}. */
  private final class Adapter implements PullAdapter<PkiId> {

    @Override
    public List<PkiId> selectPeers() {
      return RandomPeers.choose(sameOrgMembers(), pullPeerNum, random);
    }

    @Override
    public void hello(PkiId dest, long nonce) {
      send(PullMessages.hello(PullMsgType.BLOCK_MSG, nonce), dest);
    }

    @Override
    public void sendDigest(PkiId dest, List<String> items, long nonce) {
      send(PullMessages.digest(PullMsgType.BLOCK_MSG, nonce, digests(items)), dest);
    }

    @Override
    public void sendRequest(PkiId dest, List<String> items, long nonce) {
      send(PullMessages.request(PullMsgType.BLOCK_MSG, nonce, digests(items)), dest);
    }

    @Override
    public void sendResponse(PkiId dest, List<String> items, long nonce) {
      List<Envelope> found = new ArrayList<>(items.size());
      for (String item : items) {
        StoredBlock b = bySeq.get(Long.parseLong(item));
        if (b != null) {
          found.add(b.envelope());
        }
      }
      if (!found.isEmpty()) {
        send(PullMessages.update(PullMsgType.BLOCK_MSG, nonce, found), dest);
      }
    }
  }
}
