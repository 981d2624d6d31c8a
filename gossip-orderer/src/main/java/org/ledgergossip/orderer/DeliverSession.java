package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.orderer.EnvelopeCheck.Refusal;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.msp.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Deliver} stream, with Fabric's semantics ({@code common/deliver/deliver.go}): each
 * request envelope is checked ({@link EnvelopeCheck}), its {@code SeekInfo} read, and the blocks
 * from start to stop sent in order, then {@code DeliverResponse{status: SUCCESS}} and the next
 * request is read. Any other status ends the stream: {@code BAD_REQUEST} (malformed, not a seek,
 * stale timestamp, TLS binding, stop before start), {@code NOT_FOUND} (unknown channel, block no
 * longer held, or not yet cut with {@code FAIL_IF_NOT_READY}), {@code FORBIDDEN} (creator not valid
 * under the MSP, bad signature, expired while streaming), {@code SERVICE_UNAVAILABLE} (the server
 * or the emulator stops, too many subscribers).
 *
 * <p><b>Flow control.</b> One request is read at a time ({@code request(1)}); blocks are sent only
 * while the stream {@linkplain ServerCallStreamObserver#isReady is ready}, and the pump resumes on
 * the ready handler or when the channel cuts a block. So at most one block is buffered beyond the
 * transport's window.
 *
 * <p><b>Threading.</b> gRPC callbacks and pumps (on the service's executor, at most one scheduled
 * at a time) all touch the state and the response observer under {@code this}.
 */
final class DeliverSession implements StreamObserver<Envelope> {

  private static final Logger LOG = LoggerFactory.getLogger(DeliverSession.class);

  /** Blocks sent per pump task at most, so that one stream's backlog does not hold a thread. */
  static final int PUMP_CHUNK = 64;

  /** The blocks of one request. */
  private static final class Seek {
    final String channel;
    final ChannelChain chain;
    final Identity creator;
    final long stop;
    final boolean failIfNotReady;
    final boolean headersOnly;
    final Counter blocksSent;
    long next;
    @Nullable AutoCloseable watch;

    Seek(
        String channel,
        ChannelChain chain,
        Identity creator,
        long start,
        long stop,
        SeekInfo info,
        Counter blocksSent) {
      this.channel = channel;
      this.chain = chain;
      this.creator = creator;
      this.next = start;
      this.stop = stop;
      this.failIfNotReady = info.getBehavior() == SeekInfo.SeekBehavior.FAIL_IF_NOT_READY;
      this.headersOnly = info.getContentType() == SeekInfo.SeekContentType.HEADER_WITH_SIG;
      this.blocksSent = blocksSent;
    }

    void unwatch() {
      AutoCloseable w = watch;
      watch = null;
      if (w != null) {
        try {
          w.close();
        } catch (Exception e) {
          LOG.debug("closing a block watch failed", e);
        }
      }
    }
  }

  private final DeliverService service;
  private final ServerCallStreamObserver<DeliverResponse> out;
  private final byte @Nullable [] clientCertHash;
  private final AtomicBoolean pumpScheduled = new AtomicBoolean();

  // Guarded by this.
  private @Nullable Seek seek;
  private boolean halfClosed;
  private boolean done;

  DeliverSession(
      DeliverService service,
      ServerCallStreamObserver<DeliverResponse> out,
      byte @Nullable [] clientCertHash) {
    this.service = requireNonNull(service, "service");
    this.out = requireNonNull(out, "out");
    this.clientCertHash = clientCertHash == null ? null : clientCertHash.clone();
    out.disableAutoRequest();
    out.setOnReadyHandler(this::wake);
    out.setOnCancelHandler(this::cancelled);
    out.request(1);
  }

  @Override
  public void onNext(Envelope envelope) {
    synchronized (this) {
      if (done || seek != null) {
        return; // only one request is ever requested at a time
      }
    }
    Seek s;
    try {
      s = open(envelope);
    } catch (Refusal r) {
      service.refusals.record(r.reason(), "deliver request refused: " + r.getMessage());
      end(r.status());
      return;
    }
    synchronized (this) {
      if (done) {
        s.unwatch();
        return;
      }
      seek = s;
    }
    wake();
  }

  @Override
  public void onError(Throwable t) {
    cancelled();
  }

  @Override
  public synchronized void onCompleted() {
    halfClosed = true;
    if (seek == null && !done) {
      done = true;
      out.onCompleted();
      service.closed(this);
    }
  }

  private Seek open(Envelope envelope) throws Refusal {
    EnvelopeCheck.Parsed parsed = service.check.parse(envelope, true, clientCertHash);
    ChannelHeader header = parsed.channelHeader();
    if (header.getType() != HeaderType.DELIVER_SEEK_INFO_VALUE) {
      throw new Refusal(
          Status.BAD_REQUEST,
          "wrong_type",
          "channel header type " + header.getType() + " is not DELIVER_SEEK_INFO");
    }
    String channel = header.getChannelId();
    ChannelChain chain = service.emulator.findChain(channel);
    if (chain == null) {
      throw new Refusal(Status.NOT_FOUND, "unknown_channel", "no channel '" + channel + "'");
    }
    service.received(channel).increment();
    try {
      return seek(channel, chain, parsed);
    } catch (Refusal r) {
      service.completed(channel, r.status());
      throw r;
    }
  }

  private Seek seek(String channel, ChannelChain chain, EnvelopeCheck.Parsed parsed)
      throws Refusal {
    SeekInfo info;
    try {
      info = SeekInfo.parseFrom(parsed.payload().getData());
    } catch (InvalidProtocolBufferException e) {
      throw new Refusal(Status.BAD_REQUEST, "malformed", "payload is not a SeekInfo: " + e);
    }
    Identity creator = service.check.authenticate(parsed);
    if (!info.hasStart() || !info.hasStop()) {
      throw new Refusal(Status.BAD_REQUEST, "malformed", "seek info without start or stop");
    }
    long height = chain.height();
    long start =
        switch (info.getStart().getTypeCase()) {
          case OLDEST -> chain.oldest();
          case NEWEST -> height - 1;
          case SPECIFIED -> unsigned(info.getStart().getSpecified().getNumber());
          case NEXT_COMMIT -> height;
          case TYPE_NOT_SET -> throw new Refusal(Status.BAD_REQUEST, "malformed", "no start type");
        };
    long stop =
        switch (info.getStop().getTypeCase()) {
          case OLDEST -> start;
          case NEWEST -> info.getStart().equals(info.getStop()) ? start : height - 1;
          case SPECIFIED -> unsigned(info.getStop().getSpecified().getNumber());
          case NEXT_COMMIT, TYPE_NOT_SET ->
              throw new Refusal(Status.BAD_REQUEST, "malformed", "unsupported stop position");
        };
    if (info.getStop().getTypeCase() == SeekPosition.TypeCase.SPECIFIED && stop < start) {
      throw new Refusal(
          Status.BAD_REQUEST,
          "malformed",
          "start number " + start + " greater than stop number " + stop);
    }
    Seek s = new Seek(channel, chain, creator, start, stop, info, service.blocksSent(channel));
    try {
      s.watch = chain.watch(this::wake);
    } catch (IllegalStateException e) {
      throw new Refusal(Status.SERVICE_UNAVAILABLE, "too_many_subscribers", e.getMessage());
    }
    return s;
  }

  /** Schedules a pump unless one is scheduled already. */
  private void wake() {
    if (pumpScheduled.compareAndSet(false, true)) {
      try {
        service.executor.execute(this::pump);
      } catch (RejectedExecutionException e) {
        pumpScheduled.set(false); // the server is closing
      }
    }
  }

  /** Sends blocks while the stream is ready and they are cut; ends the request at its stop. */
  private void pump() {
    pumpScheduled.set(false);
    synchronized (this) {
      Seek s = seek;
      if (done || s == null) {
        return;
      }
      for (int sent = 0; out.isReady(); sent++) {
        if (sent == PUMP_CHUNK) {
          wake(); // let other streams' pumps run
          return;
        }
        if (s.next > s.stop) {
          finish(s, Status.SUCCESS, "");
          return;
        }
        if (service.emulator.isClosed()) {
          finish(s, Status.SERVICE_UNAVAILABLE, "emulator_closed");
          return;
        }
        if (s.next >= s.chain.height()) {
          if (s.failIfNotReady) {
            finish(s, Status.NOT_FOUND, "not_ready");
          }
          return; // the watch wakes the pump when the block is cut
        }
        if (!service.check.stillValid(s.creator)) {
          finish(s, Status.FORBIDDEN, "expired_creator");
          return;
        }
        Optional<Block> block;
        try {
          block = s.chain.block(s.next);
        } catch (LedgerException | RuntimeException e) {
          LOG.warn("channel {}: cannot read block {} for deliver", s.channel, s.next, e);
          finish(s, Status.INTERNAL_SERVER_ERROR, "ledger");
          return;
        }
        if (block.isEmpty()) {
          finish(s, Status.NOT_FOUND, "block_dropped");
          return;
        }
        out.onNext(
            DeliverResponse.newBuilder().setBlock(proto(block.get(), s.headersOnly)).build());
        s.blocksSent.increment();
        s.next++;
      }
    }
  }

  /** Ends the current request with {@code status}; SUCCESS reads the next request. */
  private void finish(Seek s, Status status, String reason) {
    s.unwatch();
    seek = null;
    service.completed(s.channel, status);
    if (status != Status.SUCCESS) {
      service.refusals.record(
          reason, "deliver of channel " + s.channel + " ended at block " + s.next + ": " + status);
    }
    out.onNext(DeliverResponse.newBuilder().setStatus(status).build());
    if (status == Status.SUCCESS && !halfClosed) {
      out.request(1);
    } else {
      done = true;
      out.onCompleted();
      service.closed(this);
    }
  }

  /** Sends {@code status} and ends the stream (a refusal, or the server stopping). */
  synchronized void end(Status status) {
    if (done) {
      return;
    }
    done = true;
    Seek s = seek;
    seek = null;
    if (s != null) {
      s.unwatch();
      service.completed(s.channel, status);
    }
    try {
      out.onNext(DeliverResponse.newBuilder().setStatus(status).build());
      out.onCompleted();
    } catch (RuntimeException e) {
      LOG.debug("deliver stream already gone", e);
    }
    service.closed(this);
  }

  private synchronized void cancelled() {
    done = true;
    Seek s = seek;
    seek = null;
    if (s != null) {
      s.unwatch();
    }
    service.closed(this);
  }

  private static long unsigned(long number) {
    return number < 0 ? Long.MAX_VALUE : number;
  }

  private static org.hyperledger.fabric.protos.common.Block proto(
      Block block, boolean headersOnly) {
    org.hyperledger.fabric.protos.common.Block proto = BlockFormat.toProto(block);
    return headersOnly && !isConfig(block) ? proto.toBuilder().clearData().build() : proto;
  }

  private static boolean isConfig(Block block) {
    if (block.data().isEmpty()) {
      return false;
    }
    try {
      Envelope env = Envelope.parseFrom(block.data().get(0).asReadOnlyByteBuffer());
      Payload payload = Payload.parseFrom(env.getPayload());
      return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getType()
          == HeaderType.CONFIG_VALUE;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    Seek s = seek;
    return "DeliverSession[" + (s == null ? "idle" : s.channel + " at " + s.next) + "]";
  }
}
