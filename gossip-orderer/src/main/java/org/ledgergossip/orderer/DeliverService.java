package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AtomicBroadcast.Deliver} of an {@link OrdererEmulator}: one {@link DeliverSession} per
 * stream. Holds what the sessions share: the emulator, the envelope checks, the executor that pumps
 * blocks, the metrics and the open sessions (so that {@link #closeAll} can end them). Thread-safe.
 *
 * <p>Metrics (Fabric's names where Fabric has one): {@code deliver_streams_opened}, {@code
 * deliver_streams_closed}, {@code deliver_requests_received{channel}}, {@code
 * deliver_requests_completed{channel,success}}, {@code deliver_blocks_sent{channel}}, and {@code
 * deliver_requests_refused{reason}} for requests answered with a status other than success.
 */
final class DeliverService implements ServerCalls.BidiStreamingMethod<Envelope, DeliverResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(DeliverService.class);

  /** The SHA-256 of the client's TLS certificate, set by {@link OrdererServer}'s interceptor. */
  static final Context.Key<byte[]> CLIENT_CERT_HASH = Context.key("ledgergossip-client-cert-hash");

  final OrdererEmulator emulator;
  final EnvelopeCheck check;
  final Executor executor;
  final MeterRegistry registry;
  final Refusals refusals;
  private final Counter opened;
  private final Counter closed;
  private final Set<DeliverSession> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean shuttingDown;

  DeliverService(
      OrdererEmulator emulator, EnvelopeCheck check, Executor executor, MeterRegistry registry) {
    this.emulator = requireNonNull(emulator, "emulator");
    this.check = requireNonNull(check, "check");
    this.executor = requireNonNull(executor, "executor");
    this.registry = requireNonNull(registry, "registry");
    this.refusals =
        new Refusals(
            registry,
            "deliver_requests_refused",
            "Deliver requests answered with a status other than SUCCESS, by reason",
            LOG);
    this.opened =
        Counter.builder("deliver_streams_opened")
            .description("Deliver streams opened")
            .register(registry);
    this.closed =
        Counter.builder("deliver_streams_closed")
            .description("Deliver streams closed")
            .register(registry);
  }

  @Override
  public StreamObserver<Envelope> invoke(StreamObserver<DeliverResponse> responseObserver) {
    ServerCallStreamObserver<DeliverResponse> out =
        (ServerCallStreamObserver<DeliverResponse>) responseObserver;
    DeliverSession session = new DeliverSession(this, out, CLIENT_CERT_HASH.get());
    opened.increment();
    sessions.add(session);
    if (shuttingDown) {
      session.end(Status.SERVICE_UNAVAILABLE);
    }
    return session;
  }

  void closed(DeliverSession session) {
    if (sessions.remove(session)) {
      closed.increment();
    }
  }

  void completed(String channel, Status status) {
    registry
        .counter(
            "deliver_requests_completed",
            "channel",
            channel,
            "success",
            Boolean.toString(status == Status.SUCCESS))
        .increment();
  }

  Counter received(String channel) {
    return registry.counter("deliver_requests_received", "channel", channel);
  }

  Counter blocksSent(String channel) {
    return registry.counter("deliver_blocks_sent", "channel", channel);
  }

  /** Ends every open stream with {@code SERVICE_UNAVAILABLE}, as Fabric does when it stops. */
  void closeAll() {
    shuttingDown = true;
    for (DeliverSession s : sessions) {
      s.end(Status.SERVICE_UNAVAILABLE);
    }
  }

  int openSessions() {
    return sessions.size();
  }
}
