package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/**
 * The rules of the {@link Transport} SPI. Extend it and supply fresh transports; every test closes
 * what it made.
 *
 * <p>Waits are bounded by {@link #timeout()} (Awaitility and futures), never by sleeping. The
 * frames of these tests are small except for the large-frame rules, which use {@link
 * #maxFrameSize()}.
 */
public abstract class TransportContract {

  /** Optional abilities a transport may declare; their rules are skipped when it does not. */
  public enum Capability {
    /** {@link Connection#peerCertificate()} and {@link Connection#localCertificate()} are set. */
    PEER_CERTIFICATES
  }

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  /**
   * A new transport with these options. The contract closes it after the test.
   *
   * @throws Exception if it cannot be created (the test then errors)
   */
  protected abstract Transport newTransport(TransportOptions options) throws Exception;

  /** An endpoint to listen on that no other test uses now: {@code 127.0.0.1:0} for TCP. */
  protected abstract Endpoint listenEndpoint();

  /**
   * Options for transports of this test; override to add TLS material or provider properties. The
   * contract sets the frame limit and timeouts on top.
   */
  protected TransportOptions.Builder baseOptions() {
    return TransportOptions.builder();
  }

  /** The capabilities this transport claims. */
  protected Set<Capability> capabilities() {
    return EnumSet.noneOf(Capability.class);
  }

  /** The largest frame used by the large-frame rules; 1 MiB unless overridden. */
  protected int maxFrameSize() {
    return 1024 * 1024;
  }

  /** The dial timeout used by these tests. */
  protected Duration dialTimeout() {
    return Duration.ofSeconds(2);
  }

  /** Bound on every wait of these tests. */
  protected Duration timeout() {
    return Duration.ofSeconds(20);
  }

  /** Closes every transport, listener and connection the test made. */
  @AfterEach
  public void closeResources() throws Exception {
    for (AutoCloseable c : resources) {
      c.close();
    }
    resources.clear();
  }

  /** Rule: a dial reaches a listener, and the acceptor is told of the connection. */
  @Test
  public void required_dialConnectsAndAcceptorSeesTheConnection() throws Exception {
    Pair p = connect();
    assertThat(p.client.isOpen()).isTrue();
    assertThat(p.client.isClient()).isTrue();
    assertThat(p.server.isClient()).isFalse();
    assertThat(p.client.remoteEndpoint()).isEqualTo(p.listener.endpoint());
  }

  /** Rule: frames on one connection arrive complete and in the order they were sent. */
  @Test
  public void required_framesArriveInOrderOnOneConnection() throws Exception {
    Pair p = connect();
    int n = 500;
    sendAll(p.client, numbered(0, n));
    await().atMost(timeout()).until(() -> p.serverFrames.frameCount() >= n);
    assertThat(numbersOf(p.serverFrames.frames())).isEqualTo(range(0, n));
    assertThat(p.serverFrames.violations()).isEmpty();
  }

  /** Rule: a connection carries frames both ways. */
  @Test
  public void required_framesFlowBothWays() throws Exception {
    Pair p = connect();
    sendAll(p.client, numbered(0, 10));
    sendAll(p.server, numbered(100, 10));
    await().atMost(timeout()).until(() -> p.serverFrames.frameCount() >= 10);
    await().atMost(timeout()).until(() -> p.clientFrames.frameCount() >= 10);
    assertThat(numbersOf(p.serverFrames.frames())).isEqualTo(range(0, 10));
    assertThat(numbersOf(p.clientFrames.frames())).isEqualTo(range(100, 10));
  }

  /** Rule: many connections to one listener are independent, each in order. */
  @Test
  public void required_manyConnectionsAreIndependent() throws Exception {
    Transport server = transport(options());
    List<FrameRecorder> accepted = new CopyOnWriteArrayList<>();
    Listener listener =
        track(
            server.listen(
                listenEndpoint(),
                c -> {
                  FrameRecorder r = new FrameRecorder();
                  accepted.add(r);
                  return r;
                }));
    int clients = 10;
    int perClient = 50;
    for (int i = 0; i < clients; i++) {
      Transport t = transport(options());
      Connection c = dial(t, listener.endpoint(), new FrameRecorder());
      sendAll(c, numbered(i * 1000, perClient));
    }
    await()
        .atMost(timeout())
        .until(
            () ->
                accepted.size() == clients
                    && accepted.stream().allMatch(r -> r.frameCount() >= perClient));
    for (FrameRecorder r : accepted) {
      List<Integer> got = numbersOf(r.frames());
      int base = got.get(0) - got.get(0) % 1000;
      assertThat(got).isEqualTo(range(base, perClient));
    }
  }

  /** Rule: a frame exactly as large as the limit arrives intact. */
  @Test
  public void required_frameUpToTheLimitArrivesIntact() throws Exception {
    Pair p = connect();
    byte[] big = new byte[maxFrameSize()];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    byte[] expected = big.clone();
    assertThat(p.client.send(big)).isEqualTo(SendResult.QUEUED);
    await().atMost(timeout()).until(() -> p.serverFrames.frameCount() == 1);
    assertThat(p.serverFrames.frames().get(0)).isEqualTo(expected);
  }

  /** Rule: the sender refuses a frame larger than its limit, and the connection stays usable. */
  @Test
  public void required_oversizeFrameIsRefusedBySender() throws Exception {
    Pair p = connect();
    assertThat(p.client.send(new byte[maxFrameSize() + 1])).isEqualTo(SendResult.TOO_LARGE);
    sendAll(p.client, numbered(0, 1));
    await().atMost(timeout()).until(() -> p.serverFrames.frameCount() == 1);
    assertThat(p.serverFrames.frames().get(0)).hasSize(4);
  }

  /**
   * Rule: a receiver closes the connection when a frame exceeds its own limit, without delivering
   * it (a remote with a larger limit cannot make it allocate more).
   */
  @Test
  public void required_receiverClosesConnectionOnFrameAboveItsLimit() throws Exception {
    Transport server = transport(options().maxFrameSize(1024).build());
    FrameRecorder serverFrames = new FrameRecorder();
    Listener listener = track(server.listen(listenEndpoint(), c -> serverFrames));
    Transport client = transport(options().maxFrameSize(64 * 1024).build());
    FrameRecorder clientFrames = new FrameRecorder();
    Connection c = dial(client, listener.endpoint(), clientFrames);
    assertThat(c.send(new byte[4096])).isEqualTo(SendResult.QUEUED);
    await().atMost(timeout()).until(() -> serverFrames.isClosed() && clientFrames.isClosed());
    assertThat(serverFrames.frameCount()).isZero();
    assertThat(serverFrames.closeCause()).isInstanceOf(TransportException.class);
  }

  /** Rule: a close by the dialling side is seen once by both handlers. */
  @Test
  public void required_closeByClientIsSeenByBoth() throws Exception {
    Pair p = connect();
    p.client.close();
    assertClosedOnBothSides(p);
  }

  /** Rule: a close by the accepting side is seen once by both handlers. */
  @Test
  public void required_closeByServerIsSeenByBoth() throws Exception {
    Pair p = connect();
    p.server.close();
    assertClosedOnBothSides(p);
  }

  /** Rule: frames sent just before an orderly close are delivered before the close is seen. */
  @Test
  public void required_framesSentBeforeCloseAreDeliveredFirst() throws Exception {
    Pair p = connect();
    sendAll(p.client, numbered(0, 20));
    p.client.close();
    await().atMost(timeout()).until(p.serverFrames::isClosed);
    assertThat(numbersOf(p.serverFrames.frames())).isEqualTo(range(0, 20));
    assertThat(p.serverFrames.violations()).isEmpty();
  }

  /** Rule: close is idempotent, and a send on a closed connection returns CLOSED. */
  @Test
  public void required_closeIsIdempotentAndSendAfterCloseIsRefused() throws Exception {
    Pair p = connect();
    p.client.close();
    p.client.close();
    assertClosedOnBothSides(p);
    assertThat(p.client.send(new byte[] {1})).isEqualTo(SendResult.CLOSED);
    assertThat(p.client.isOpen()).isFalse();
  }

  /** Rule: closing a transport closes its connections, and both sides see it. */
  @Test
  public void required_closingTheTransportClosesItsConnections() throws Exception {
    Transport server = transport(options());
    FrameRecorder serverFrames = new FrameRecorder();
    Listener listener = track(server.listen(listenEndpoint(), c -> serverFrames));
    Transport client = newTransport(options().build());
    FrameRecorder clientFrames = new FrameRecorder();
    dial(client, listener.endpoint(), clientFrames);
    client.close();
    await().atMost(timeout()).until(() -> serverFrames.isClosed() && clientFrames.isClosed());
  }

  /** Rule: a dial to an endpoint nobody listens on fails, within the dial timeout. */
  @Test
  public void required_dialToDeadEndpointFailsWithinTheTimeout() throws Exception {
    Transport server = transport(options());
    Listener listener = server.listen(listenEndpoint(), c -> new FrameRecorder());
    Endpoint dead = listener.endpoint();
    listener.close();
    Transport client = transport(options());
    CompletableFuture<Connection> dial = client.dial(dead, new FrameRecorder());
    long slackMs = 2_000;
    try {
      Connection unexpected = dial.get(dialTimeout().toMillis() + slackMs, TimeUnit.MILLISECONDS);
      unexpected.close();
      throw new AssertionError("dial to closed endpoint " + dead + " succeeded");
    } catch (ExecutionException expected) {
      assertThat(expected.getCause()).isInstanceOf(TransportException.class);
    } catch (TimeoutException tooSlow) {
      throw new AssertionError(
          "dial to closed endpoint " + dead + " did not fail within " + dialTimeout(), tooSlow);
    }
  }

  /** Rule: concurrent senders on one connection lose nothing and keep each sender's order. */
  @Test
  public void required_concurrentSendersKeepTheirOwnOrder() throws Exception {
    Pair p = connect();
    int senders = 4;
    int each = 250;
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int base = s * 10_000;
      done.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  start.await();
                  sendAll(p.client, numbered(base, each));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException(e);
                }
              }));
    }
    start.countDown();
    CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]))
        .get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    await().atMost(timeout()).until(() -> p.serverFrames.frameCount() >= senders * each);
    List<Integer> got = numbersOf(p.serverFrames.frames());
    assertThat(got).hasSize(senders * each);
    for (int s = 0; s < senders; s++) {
      int base = s * 10_000;
      assertThat(got.stream().filter(v -> v >= base && v < base + each).toList())
          .as("frames of sender %d in order", s)
          .isEqualTo(range(base, each));
    }
  }

  /** Rule (capability PEER_CERTIFICATES): each side sees the other's TLS certificate. */
  @Test
  public void optional_peerCertificatesAreExposed() throws Exception {
    assumeTrue(
        capabilities().contains(Capability.PEER_CERTIFICATES),
        "transport does not declare PEER_CERTIFICATES");
    Pair p = connect();
    assertThat(p.client.peerCertificate()).isPresent();
    assertThat(p.server.peerCertificate()).isPresent();
    assertThat(p.client.peerCertificate()).isEqualTo(p.server.localCertificate());
    assertThat(p.server.peerCertificate()).isEqualTo(p.client.localCertificate());
  }

  // ---- helpers ----

  /** Options with this contract's frame limit and dial timeout on top of {@link #baseOptions()}. */
  protected final TransportOptions.Builder options() {
    return baseOptions().maxFrameSize(maxFrameSize()).dialTimeout(dialTimeout());
  }

  private Transport transport(TransportOptions.Builder options) throws Exception {
    return transport(options.build());
  }

  private Transport transport(TransportOptions options) throws Exception {
    return track(newTransport(options));
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private Connection dial(Transport t, Endpoint remote, FrameRecorder handler) throws Exception {
    Connection c = t.dial(remote, handler).get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    resources.add(c::close);
    return c;
  }

  private Pair connect() throws Exception {
    Transport server = transport(options());
    FrameRecorder serverFrames = new FrameRecorder();
    CompletableFuture<Connection> accepted = new CompletableFuture<>();
    Listener listener =
        track(
            server.listen(
                listenEndpoint(),
                c -> {
                  accepted.complete(c);
                  return serverFrames;
                }));
    Transport client = transport(options());
    FrameRecorder clientFrames = new FrameRecorder();
    Connection c = dial(client, listener.endpoint(), clientFrames);
    Connection s = accepted.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    resources.add(s::close);
    return new Pair(listener, c, s, clientFrames, serverFrames);
  }

  private void assertClosedOnBothSides(Pair p) {
    await().atMost(timeout()).until(() -> p.clientFrames.isClosed() && p.serverFrames.isClosed());
    assertThat(p.client.closeFuture()).succeedsWithin(timeout());
    assertThat(p.server.closeFuture()).succeedsWithin(timeout());
    assertThat(p.clientFrames.closeCount()).isEqualTo(1);
    assertThat(p.serverFrames.closeCount()).isEqualTo(1);
    assertThat(p.client.isOpen()).isFalse();
    assertThat(p.server.isOpen()).isFalse();
    assertThat(p.clientFrames.violations()).isEmpty();
    assertThat(p.serverFrames.violations()).isEmpty();
  }

  /** Sends every frame, retrying a frame while the send queue is full, until {@link #timeout()}. */
  private void sendAll(Connection c, List<byte[]> frames) {
    long deadline = System.nanoTime() + timeout().toNanos();
    for (byte[] f : frames) {
      SendResult r;
      while ((r = c.send(f)) == SendResult.QUEUE_FULL) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("send queue stayed full for " + timeout());
        }
        Thread.onSpinWait();
      }
      if (r != SendResult.QUEUED) {
        throw new AssertionError("send returned " + r);
      }
    }
  }

  private static List<byte[]> numbered(int from, int count) {
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(ByteBuffer.allocate(4).putInt(from + i).array());
    }
    return out;
  }

  private static List<Integer> numbersOf(List<byte[]> frames) {
    return frames.stream().map(f -> ByteBuffer.wrap(f).getInt()).toList();
  }

  private static List<Integer> range(int from, int count) {
    List<Integer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(from + i);
    }
    return out;
  }

  private record Pair(
      Listener listener,
      Connection client,
      Connection server,
      FrameRecorder clientFrames,
      FrameRecorder serverFrames) {}
}
