package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/** The same seed and inputs on a {@link VirtualScheduler} give the same run, event for event. */
class DeterminismTest {

  private static final int PEERS = 5;

  @Test
  void theSameSeedGivesTheSameEventsAndAnotherSeedDifferentOnes() throws TransportException {
    List<NetworkEvent> first = run(7);
    List<NetworkEvent> second = run(7);
    List<NetworkEvent> other = run(8);

    assertThat(first).hasSizeGreaterThan(1000);
    assertThat(first).isEqualTo(second);
    assertThat(other).isNotEqualTo(first);
    assertThat(first)
        .extracting(NetworkEvent::type)
        .contains(
            NetworkEvent.Type.CONNECTED,
            NetworkEvent.Type.DELIVERED,
            NetworkEvent.Type.DROPPED,
            NetworkEvent.Type.CLOSED,
            NetworkEvent.Type.DIAL_FAILED);
  }

  /** Five peers gossiping over lossy, delayed links, with a partition, a heal and a kill. */
  private static List<NetworkEvent> run(long seed) throws TransportException {
    VirtualScheduler scheduler = new VirtualScheduler();
    List<NetworkEvent> events = new ArrayList<>();
    try (InMemoryNetwork network =
        InMemoryNetwork.builder().name("determinism").scheduler(scheduler).seed(seed).build()) {
      network.events(events::add);
      network.faults().dropRate(0.2).delay(Duration.ofMillis(1), Duration.ofMillis(40));

      List<Endpoint> endpoints = new ArrayList<>();
      List<Transport> transports = new ArrayList<>();
      List<Connection> connections = new ArrayList<>();
      List<CompletableFuture<?>> dials = new ArrayList<>();
      for (int i = 0; i < PEERS; i++) {
        Endpoint e = new Endpoint("peer" + i, 7051);
        Transport t =
            network.newTransport(
                TransportOptions.builder().dialTimeout(Duration.ofMillis(500)).build());
        t.listen(
            e,
            accepted -> {
              synchronized (connections) {
                connections.add(accepted);
              }
              return Recorder.handler((c, frame) -> {});
            });
        endpoints.add(e);
        transports.add(t);
      }
      for (int i = 0; i < PEERS; i++) {
        for (int j = i + 1; j < PEERS; j++) {
          dials.add(
              transports
                  .get(i)
                  .dial(endpoints.get(j), Recorder.handler((c, frame) -> {}))
                  .thenAccept(connections::add));
        }
      }
      scheduler.scheduleAtFixedRate(
          () -> {
            int round = (int) (scheduler.clock().nanoTime() / 10_000_000L);
            for (Connection c : List.copyOf(connections)) {
              c.send(new byte[1 + round % 17]);
            }
          },
          Duration.ofMillis(10),
          Duration.ofMillis(10));

      scheduler.advanceBy(Duration.ofMillis(300));
      network.faults().partition(Set.of(endpoints.get(0), endpoints.get(1)));
      dials.add(transports.get(0).dial(endpoints.get(3), Recorder.handler((c, frame) -> {})));
      scheduler.advanceBy(Duration.ofMillis(700));
      network.faults().heal().dropRate(0.1);
      network.faults().kill(endpoints.get(4));
      scheduler.advanceBy(Duration.ofMillis(500));
      assertThat(dials).allMatch(CompletableFuture::isDone);
    }
    scheduler.runUntilIdle();
    return events;
  }
}
