package org.ledgergossip.core.internal.comm;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

class ConnectionStoreTest {

  private static final PkiId LOW = PkiId.fromHex("01");
  private static final PkiId HIGH = PkiId.fromHex("02");
  private static final Duration WINDOW = Duration.ofSeconds(2);

  private final VirtualScheduler time = new VirtualScheduler();

  /** The store never looks at identities; any will do. */
  private final Identity someIdentity = new AnyIdentity();

  @Test
  void simultaneousDialsSettleOnTheConnectionDialledByTheLowerPkiIdOnBothSides() {
    // One physical connection dialled by LOW, one dialled by HIGH; each peer sees both.
    FakeConnection dialledByLowAtLow = new FakeConnection(true);
    FakeConnection dialledByLowAtHigh = new FakeConnection(false);
    FakeConnection dialledByHighAtLow = new FakeConnection(false);
    FakeConnection dialledByHighAtHigh = new FakeConnection(true);

    ConnectionStore atLow = new ConnectionStore(LOW, time.clock(), WINDOW);
    ConnectionStore atHigh = new ConnectionStore(HIGH, time.clock(), WINDOW);
    // Opposite arrival orders on the two sides.
    atLow.register(peer(HIGH, dialledByHighAtLow));
    atLow.register(peer(HIGH, dialledByLowAtLow));
    atHigh.register(peer(LOW, dialledByLowAtHigh));
    atHigh.register(peer(LOW, dialledByHighAtHigh));

    assertThat(atLow.get(HIGH).orElseThrow().connection()).isSameAs(dialledByLowAtLow);
    assertThat(atHigh.get(LOW).orElseThrow().connection()).isSameAs(dialledByLowAtHigh);
    assertThat(dialledByHighAtLow.closed).isTrue();
    assertThat(dialledByHighAtHigh.closed).isTrue();
  }

  @Test
  void aLaterConnectionReplacesTheOlderOne() {
    ConnectionStore store = new ConnectionStore(LOW, time.clock(), WINDOW);
    FakeConnection old = new FakeConnection(true);
    FakeConnection reconnect = new FakeConnection(false);
    assertThat(store.register(peer(HIGH, old))).isTrue();
    time.advanceBy(WINDOW.plusMillis(1));
    assertThat(store.register(peer(HIGH, reconnect))).isTrue();
    assertThat(old.closed).isTrue();
    assertThat(store.get(HIGH).orElseThrow().connection()).isSameAs(reconnect);
  }

  @Test
  void registeredForCountsFromTheCurrentConnectionsRegistration() {
    ConnectionStore store = new ConnectionStore(LOW, time.clock(), WINDOW);
    assertThat(store.registeredFor(HIGH)).isEmpty();
    store.register(peer(HIGH, new FakeConnection(true)));
    time.advanceBy(Duration.ofSeconds(5));
    assertThat(store.registeredFor(HIGH)).contains(Duration.ofSeconds(5));
    store.register(peer(HIGH, new FakeConnection(false)));
    time.advanceBy(Duration.ofSeconds(1));
    assertThat(store.registeredFor(HIGH))
        .as("the replacement's age")
        .contains(Duration.ofSeconds(1));
  }

  @Test
  void aClosedConnectionIsForgottenAndRemoveOnlyRemovesTheRegisteredOne() {
    ConnectionStore store = new ConnectionStore(LOW, time.clock(), WINDOW);
    FakeConnection first = new FakeConnection(true);
    AuthenticatedPeer p1 = peer(HIGH, first);
    store.register(p1);
    first.close();
    assertThat(store.get(HIGH)).isEmpty();
    FakeConnection second = new FakeConnection(true);
    AuthenticatedPeer p2 = peer(HIGH, second);
    assertThat(store.register(p2)).isTrue();
    store.remove(p1);
    assertThat(store.get(HIGH)).isPresent();
    store.remove(p2);
    assertThat(store.size()).isZero();
  }

  private AuthenticatedPeer peer(PkiId id, Connection c) {
    return new AuthenticatedPeer(id, someIdentity, c, Bytes.EMPTY, Bytes.EMPTY, false);
  }

  /** An identity nobody asks anything of. */
  private static final class AnyIdentity implements Identity {
    @Override
    public String mspId() {
      return "Org1MSP";
    }

    @Override
    public PkiId pkiId() {
      return LOW;
    }

    @Override
    public Bytes serialized() {
      return Bytes.EMPTY;
    }

    @Override
    public java.time.Instant expiresAt() {
      return java.time.Instant.MAX;
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      return false;
    }
  }

  /** A connection that only knows its direction and whether it is closed. */
  private static final class FakeConnection implements Connection {
    private final boolean client;
    private boolean closed;

    FakeConnection(boolean client) {
      this.client = client;
    }

    @Override
    public Endpoint remoteEndpoint() {
      return new Endpoint("remote", 1);
    }

    @Override
    public Endpoint localEndpoint() {
      return new Endpoint("local", 1);
    }

    @Override
    public boolean isClient() {
      return client;
    }

    @Override
    public SendResult send(byte[] frame) {
      return closed ? SendResult.CLOSED : SendResult.QUEUED;
    }

    @Override
    public Optional<X509Certificate> peerCertificate() {
      return Optional.empty();
    }

    @Override
    public Optional<X509Certificate> localCertificate() {
      return Optional.empty();
    }

    @Override
    public long droppedFrames() {
      return 0;
    }

    @Override
    public boolean isOpen() {
      return !closed;
    }

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
      return closed ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
    }
  }
}
