package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AtomicBroadcast.Broadcast} of an {@link OrdererEmulator}, with Fabric's semantics ({@code
 * orderer/common/broadcast/broadcast.go}): each envelope is answered by one {@code
 * BroadcastResponse} in order; an answer other than {@code SUCCESS} ends the stream. An envelope is
 * refused with {@code BAD_REQUEST} if it does not parse, {@code NOT_FOUND} if its channel does not
 * exist, {@code FORBIDDEN} if its creator is not valid under the MSP or its signature does not
 * verify; otherwise {@link OrdererEmulator#broadcast} decides ({@code SERVICE_UNAVAILABLE} when the
 * channel's inbox is full).
 *
 * <p><b>Flow control.</b> The next envelope is requested only after the previous one is answered
 * and the stream is ready for more answers. Refusals are counted in {@code
 * broadcast_requests_refused{reason}}. Thread-safe.
 */
final class BroadcastService
    implements ServerCalls.BidiStreamingMethod<Envelope, BroadcastResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(BroadcastService.class);

  private final OrdererEmulator emulator;
  private final EnvelopeCheck check;
  private final Refusals refusals;

  BroadcastService(OrdererEmulator emulator, EnvelopeCheck check, Refusals refusals) {
    this.emulator = requireNonNull(emulator, "emulator");
    this.check = requireNonNull(check, "check");
    this.refusals = requireNonNull(refusals, "refusals");
  }

  static Refusals refusals(io.micrometer.core.instrument.MeterRegistry registry) {
    return new Refusals(
        registry,
        "broadcast_requests_refused",
        "Broadcast envelopes refused before ordering, by reason",
        LOG);
  }

  @Override
  public StreamObserver<Envelope> invoke(StreamObserver<BroadcastResponse> responseObserver) {
    return new Session((ServerCallStreamObserver<BroadcastResponse>) responseObserver);
  }

  /** The answer to one envelope. */
  private Status process(Envelope envelope) {
    try {
      EnvelopeCheck.Parsed parsed = check.parse(envelope, false, null);
      String channel = parsed.channelHeader().getChannelId();
      if (emulator.findChain(channel) == null) {
        throw new EnvelopeCheck.Refusal(
            Status.NOT_FOUND, "unknown_channel", "no channel '" + channel + "'");
      }
      check.authenticate(parsed);
      BroadcastStatus status = emulator.broadcast(channel, envelope.toByteArray());
      return Status.forNumber(status.code());
    } catch (EnvelopeCheck.Refusal r) {
      refusals.record(r.reason(), "broadcast envelope refused: " + r.getMessage());
      return r.status();
    }
  }

  /** One stream; its state is guarded by {@code this}. */
  private final class Session implements StreamObserver<Envelope> {
    private final ServerCallStreamObserver<BroadcastResponse> out;
    private boolean wantsNext;
    private boolean done;

    Session(ServerCallStreamObserver<BroadcastResponse> out) {
      this.out = out;
      out.disableAutoRequest();
      out.setOnReadyHandler(this::onReady);
      out.setOnCancelHandler(this::onCancel);
      out.request(1);
    }

    @Override
    public void onNext(Envelope envelope) {
      Status status = process(envelope);
      synchronized (this) {
        if (done) {
          return;
        }
        out.onNext(BroadcastResponse.newBuilder().setStatus(status).build());
        if (status != Status.SUCCESS) {
          done = true;
          out.onCompleted();
        } else if (out.isReady()) {
          out.request(1);
        } else {
          wantsNext = true;
        }
      }
    }

    private synchronized void onReady() {
      if (wantsNext && !done) {
        wantsNext = false;
        out.request(1);
      }
    }

    private synchronized void onCancel() {
      done = true;
    }

    @Override
    public synchronized void onError(Throwable t) {
      done = true;
    }

    @Override
    public synchronized void onCompleted() {
      if (!done) {
        done = true;
        out.onCompleted();
      }
    }
  }
}
