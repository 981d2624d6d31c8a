package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockVerifier;
import org.ledgergossip.core.internal.block.MalformedBlockException;
import org.ledgergossip.spi.orderer.BlockSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's deliver subscription of a {@link DeliverBlockSource}: a stream to one orderer at a
 * time, made again after each failure (see {@link DeliverBlockSourceProvider}).
 *
 * <p><b>Threading.</b> The subscription owns one daemon thread. Connecting, the gRPC callbacks of
 * its streams (the calls run on it through {@code withExecutor}), verification and every listener
 * callback run there, so the chain state ({@link #next}, {@link #previousHash}, the back-off) is
 * confined to it. The back-off timer runs on the options' scheduler and only hands the reconnection
 * to the thread. Flow control: one block is requested at a time, after the listener returned.
 */
final class DeliverSubscription implements BlockSource.Subscription {

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** How long {@link #close()} waits for a callback in progress. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(DeliverSubscription.class);

  private final DeliverBlockSource source;
  private final String channel;
  private final BlockSource.Listener listener;
  private final BlockVerifier verifier;
  private final Scheduler scheduler;
  private final Clock clock;
  private final List<Endpoint> orderers;
  private final ExecutorService thread;
  private final Executor serial;
  private volatile @Nullable Thread deliveryThread;
  private volatile boolean closed;
  private volatile @Nullable Attempt current;

  // Confined to the delivery thread.
  private long next;
  private @Nullable Bytes previousHash;
  private Duration backoff = FIRST_BACKOFF;
  private int endpointIndex;
  private long lastProgressNanos;
  private boolean failedBefore;

  // Guarded by this.
  private @Nullable Cancellable retry;

  DeliverSubscription(
      DeliverBlockSource source,
      String channel,
      long from,
      BlockSource.Listener listener,
      BlockVerifier verifier) {
    this.source = source;
    this.channel = channel;
    this.next = from;
    this.listener = listener;
    this.verifier = verifier;
    this.scheduler = source.options.scheduler();
    this.clock = scheduler.clock();
    this.orderers = source.options.orderers();
    this.lastProgressNanos = clock.nanoTime();
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "deliver-" + channel);
              t.setDaemon(true);
              deliveryThread = t;
              return t;
            });
    this.serial = this::runOnThread;
  }

  void start() {
    serial.execute(this::connect);
  }

  private void runOnThread(Runnable task) {
    if (closed) {
      return;
    }
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: the task is not needed any more
    }
  }

  /** Opens a stream to the next orderer and sends the request; on the delivery thread. */
  private void connect() {
    if (closed) {
      return;
    }
    Endpoint orderer = orderers.get(endpointIndex % orderers.size());
    ManagedChannel grpcChannel;
    try {
      grpcChannel = source.channel(orderer);
    } catch (IllegalStateException closedMeanwhile) {
      return;
    }
    Envelope request;
    try {
      request =
          SeekRequests.envelope(
              channel,
              SeekRequests.blocksFrom(next),
              source.options.msp(),
              source.tlsCertHash,
              clock.instant(),
              source.nonce());
    } catch (RuntimeException e) { // the MSP cannot sign: report it and try again later
      Attempt failed = new Attempt(orderer, Context.current().withCancellation());
      current = failed;
      fail(failed, e);
      return;
    }
    if (failedBefore) {
      grpcChannel.resetConnectBackoff(); // our back-off governs, not the channel's
    }
    Attempt attempt = new Attempt(orderer, Context.current().withCancellation());
    current = attempt;
    attempt.context.run(
        () -> {
          StreamObserver<Envelope> requests =
              AtomicBroadcastGrpc.newStub(grpcChannel).withExecutor(serial).deliver(attempt);
          requests.onNext(request);
        });
  }

  private void onResponse(Attempt attempt, DeliverResponse response) {
    switch (response.getTypeCase()) {
      case BLOCK -> onBlock(attempt, response);
      case STATUS ->
          fail(
              attempt,
              new DeliverStatusException(
                  attempt.orderer,
                  channel,
                  response.getStatusValue(),
                  response.getStatus().name()));
      case TYPE_NOT_SET ->
          fail(
              attempt, new IllegalStateException("empty deliver response from " + attempt.orderer));
    }
  }

  private void onBlock(Attempt attempt, DeliverResponse response) {
    Block block;
    try {
      block = BlockFormat.fromProto(response.getBlock());
    } catch (MalformedBlockException e) {
      fail(attempt, new BlockRejectedException(next, "malformed", e.getMessage()));
      return;
    }
    BlockVerifier.Result result = verifier.verify(block, next, previousHash);
    if (!result.isValid()) {
      fail(
          attempt,
          new BlockRejectedException(
              block.number(), requireNonNull(result.reason()).metricTag(), result.detail()));
      return;
    }
    previousHash = BlockFormat.headerHash(block);
    next = block.number() + 1;
    backoff = FIRST_BACKOFF;
    lastProgressNanos = clock.nanoTime();
    source.blocksReceived.increment();
    callback(() -> listener.onBlock(block));
    if (current == attempt && !closed) {
      attempt.requests().request(1);
    }
  }

  /** Ends {@code attempt}, reports {@code cause} and schedules the next attempt. */
  private void fail(Attempt attempt, Throwable cause) {
    if (closed || current != attempt) {
      return;
    }
    current = null;
    attempt.context.cancel(null);
    failedBefore = true;
    source.failures.record(
        reason(cause),
        "deliver of channel " + channel + " from orderer " + attempt.orderer + " failed: " + cause);
    long failingFor = TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - lastProgressNanos);
    callback(() -> listener.onFailure(cause, failingFor));
    endpointIndex = (endpointIndex + 1) % orderers.size();
    Duration delay = backoff;
    Duration doubled = backoff.multipliedBy(2);
    backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    synchronized (this) {
      if (!closed) {
        retry = scheduler.schedule(() -> serial.execute(this::connect), delay);
      }
    }
  }

  /** Runs a listener callback unless closed; a listener that throws is closed. */
  private void callback(Runnable call) {
    if (closed) {
      return;
    }
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("channel {}: block source listener {} failed; closing it", channel, listener, e);
      close();
    }
  }

  static String reason(Throwable cause) {
    if (cause instanceof BlockRejectedException b) {
      return "block_" + b.reason();
    }
    if (cause instanceof DeliverStatusException d) {
      return "status_" + d.statusName().toLowerCase(Locale.ROOT);
    }
    if (cause instanceof StatusRuntimeException s) {
      return "grpc_" + s.getStatus().getCode().name().toLowerCase(Locale.ROOT);
    }
    if (cause instanceof StatusException s) {
      return "grpc_" + s.getStatus().getCode().name().toLowerCase(Locale.ROOT);
    }
    return "error";
  }

  /**
   * Stops delivery: cancels the stream and the pending reconnection, interrupts a callback in
   * progress (unless called from it) and waits up to {@link #CLOSE_WAIT} for it to return.
   */
  @Override
  public void close() {
    Cancellable pending;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      pending = retry;
      retry = null;
    }
    if (pending != null) {
      pending.cancel();
    }
    Attempt attempt = current;
    if (attempt != null) {
      attempt.context.cancel(null);
    }
    source.removed(this);
    if (Thread.currentThread() == deliveryThread) {
      thread.shutdown();
      return;
    }
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "channel {}: block source listener {} did not return within {} of close",
            channel,
            listener,
            CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DeliverSubscription[" + channel + (closed ? ", closed]" : "]");
  }

  /** One stream; its callbacks run on the delivery thread. */
  private final class Attempt implements ClientResponseObserver<Envelope, DeliverResponse> {
    final Endpoint orderer;
    final Context.CancellableContext context;
    private @Nullable ClientCallStreamObserver<Envelope> requests;

    Attempt(Endpoint orderer, Context.CancellableContext context) {
      this.orderer = orderer;
      this.context = context;
    }

    ClientCallStreamObserver<Envelope> requests() {
      return requireNonNull(requests, "requests");
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Envelope> requestStream) {
      this.requests = requestStream;
      requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(DeliverResponse response) {
      if (current == this && !closed) {
        onResponse(this, response);
      }
    }

    @Override
    public void onError(Throwable t) {
      fail(this, t);
    }

    @Override
    public void onCompleted() {
      fail(this, new IllegalStateException("orderer " + orderer + " closed the deliver stream"));
    }
  }
}
