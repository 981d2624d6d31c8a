package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.transport.inmemory.Recorder.frame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;

class FaultsTest extends VirtualNetworkTest {

  private static final int FRAMES = 2000;

  private Connection bigPipe(Recorder server) throws TransportException {
    listening(A, server, b -> b.receiveQueueSize(FRAMES));
    return connect(transport(b -> b.sendQueueSize(FRAMES)), A, new Recorder());
  }

  @Test
  void dropRateLosesAboutThatShareOfFramesAndCountsThem() throws TransportException {
    Recorder server = new Recorder();
    Connection c = bigPipe(server);
    network.faults().dropRate(0.3);

    for (int i = 0; i < FRAMES; i++) {
      c.send(frame(Integer.toString(i)));
    }
    scheduler.runUntilIdle();

    int delivered = server.frames().size();
    // Expected 1400 delivered, standard deviation about 20.5: +-150 is more than 7 deviations.
    assertThat(delivered).isBetween(1250, 1550);
    assertThat(network.faults().framesLostToDrop()).isEqualTo(FRAMES - delivered);
    assertThat(meters.counter(TransportMeters.LOST, "reason", "drop").count())
        .isEqualTo(FRAMES - delivered);
    List<Integer> order = server.frames().stream().map(Integer::valueOf).toList();
    assertThat(order).isSorted();
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void dropRateOfOneLosesEverythingAndZeroNothing() throws TransportException {
    Recorder server = new Recorder();
    Connection c = bigPipe(server);

    network.faults().dropRate(1.0);
    c.send(frame("lost"));
    scheduler.runUntilIdle();
    network.faults().dropRate(0.0);
    c.send(frame("kept"));
    scheduler.runUntilIdle();

    assertThat(server.frames()).containsExactly("kept");
    assertThatThrownBy(() -> network.faults().dropRate(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> network.faults().dropRate(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomDelayKeepsEachConnectionInOrder() throws TransportException {
    Recorder server = new Recorder(scheduler);
    Connection c = bigPipe(server);
    network.faults().delay(Duration.ofMillis(1), Duration.ofMillis(100));

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add("d" + i);
      c.send(frame("d" + i));
      scheduler.advanceBy(Duration.ofMillis(1));
    }
    scheduler.advanceBy(Duration.ofMillis(200));

    assertThat(server.frames()).containsExactlyElementsOf(sent);
    List<Long> arrivals = server.arrivalNanos();
    assertThat(arrivals).isSorted();
    assertThat(arrivals.get(0)).isBetween(1_000_000L, 100_000_000L);
    assertThat(arrivals.get(arrivals.size() - 1)).isGreaterThan(199_000_000L);
    assertThatThrownBy(() -> network.faults().delay(Duration.ofMillis(2), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPartitionLosesFramesAcrossSidesUntilHealed() throws TransportException {
    Recorder atB = new Recorder();
    Recorder atC = new Recorder();
    Transport a = listening(A, new Recorder());
    Transport b = listening(B, atB);
    listening(C, atC);
    Connection aToB = connect(a, B, new Recorder());
    Connection bToC = connect(b, C, new Recorder());

    network.faults().partition(Set.of(A), Set.of(B, C));
    aToB.send(frame("lost"));
    bToC.send(frame("same side"));
    scheduler.runUntilIdle();

    assertThat(atB.frames()).isEmpty();
    assertThat(atC.frames()).containsExactly("same side");
    assertThat(network.faults().framesLostToPartition()).isEqualTo(1);
    assertThat(meters.counter(TransportMeters.LOST, "reason", "partition").count()).isEqualTo(1);
    assertThat(aToB.isOpen()).isTrue();

    network.faults().heal();
    aToB.send(frame("healed"));
    scheduler.runUntilIdle();
    assertThat(atB.frames()).containsExactly("healed");
  }

  @Test
  void endpointsListedInNoSideAreTogetherInOneMoreSide() throws TransportException {
    Recorder atC = new Recorder();
    Transport b = listening(B, new Recorder());
    listening(C, atC);
    Connection bToC = connect(b, C, new Recorder());

    network.faults().partition(Set.of(A));
    bToC.send(frame("together"));
    scheduler.runUntilIdle();

    assertThat(atC.frames()).containsExactly("together");
    assertThatThrownBy(() -> network.faults().partition(Set.of(A, B), Set.of(B)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b:7051");
  }

  @Test
  void framesInFlightWhenAPartitionStartsAreLost() throws TransportException {
    Recorder atB = new Recorder();
    listening(B, atB);
    Connection aToB = connect(listening(A, new Recorder()), B, new Recorder());
    network.faults().delay(Duration.ofMillis(50), Duration.ofMillis(50));

    aToB.send(frame("in flight"));
    scheduler.advanceBy(Duration.ofMillis(10));
    network.faults().partition(Set.of(A), Set.of(B));
    scheduler.advanceBy(Duration.ofMillis(100));

    assertThat(atB.frames()).isEmpty();
    assertThat(network.faults().framesLostToPartition()).isEqualTo(1);
  }

  @Test
  void aDialAcrossAPartitionFailsOnlyAtTheDialTimeout() throws TransportException {
    Transport a = listening(A, new Recorder(), o -> o.dialTimeout(Duration.ofSeconds(3)));
    listening(B, new Recorder());
    network.faults().partition(Set.of(A), Set.of(B));

    CompletableFuture<Connection> dial = a.dial(B, new Recorder());
    scheduler.advanceBy(Duration.ofMillis(2999));
    assertThat(dial).isNotDone();
    scheduler.advanceBy(Duration.ofMillis(1));

    assertThat(dial).isCompletedExceptionally();
    assertThatThrownBy(dial::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(TransportException.class)
        .hasMessage("dial b:7051 failed: timed out after PT3S");
  }

  @Test
  void killResetsEveryConnectionOfTheEndpointAndRefusesLaterDials() throws TransportException {
    Recorder acceptedAtA = new Recorder();
    Transport a = listening(A, acceptedAtA);
    Recorder acceptedAtC = new Recorder();
    listening(C, acceptedAtC);
    Recorder bSide = new Recorder();
    Transport b = listening(B, new Recorder());
    Connection bToA = connect(b, A, bSide);
    Connection aToC = connect(a, C, new Recorder());
    Recorder untouched = new Recorder();
    Connection bToC = connect(b, C, untouched);

    network.faults().kill(A);
    scheduler.runUntilIdle();

    assertThat(bToA.isOpen()).isFalse();
    assertThat(aToC.isOpen()).isFalse();
    assertThat(bToC.isOpen()).isTrue();
    assertThat(bSide.closes())
        .singleElement()
        .isInstanceOf(TransportException.class)
        .satisfies(e -> assertThat(e).hasMessageContaining("connection reset by kill"));
    assertThat(acceptedAtC.closes().get(0)).hasMessageContaining("connection reset by kill");
    assertThat(acceptedAtA.closes().get(0)).hasMessageContaining("connection reset by kill");
    assertThat(untouched.closes()).isEmpty();

    CompletableFuture<Connection> refused = b.dial(A, new Recorder());
    scheduler.runUntilIdle();
    assertThatThrownBy(refused::get).cause().hasMessageContaining("connection refused");

    listening(A, new Recorder());
    connect(b, A, new Recorder());
  }
}
