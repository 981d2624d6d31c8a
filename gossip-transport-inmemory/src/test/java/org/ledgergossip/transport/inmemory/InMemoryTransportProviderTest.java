package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.transport.inmemory.Recorder.frame;

import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;

class InMemoryTransportProviderTest {

  private final InMemoryTransportProvider provider = new InMemoryTransportProvider();

  @Test
  void isFoundByTheServiceLoaderWithTheLowestPriority() {
    assertThat(ServiceLoader.load(TransportProvider.class))
        .anySatisfy(p -> assertThat(p).isInstanceOf(InMemoryTransportProvider.class));
    assertThat(provider.name()).isEqualTo("inmemory");
    assertThat(provider.priority()).isEqualTo(-100);
    assertThat(provider.isAvailable()).isTrue();
  }

  @Test
  void joinsTheOpenNetworkNamedInTheOptions() throws TransportException {
    VirtualScheduler scheduler = new VirtualScheduler();
    try (InMemoryNetwork network =
        InMemoryNetwork.builder().name("provider-join").scheduler(scheduler).build()) {
      TransportOptions options =
          TransportOptions.builder().property("inmemory.network", "provider-join").build();
      Recorder server = new Recorder();
      provider.create(options).listen(new Endpoint("x", 1), server);
      Transport client = network.newTransport(TransportOptions.builder().build());

      CompletableFuture<Connection> dial = client.dial(new Endpoint("x", 1), new Recorder());
      scheduler.runUntilIdle();

      assertThat(dial).isCompleted();
      assertThat(server.accepted()).hasSize(1);
    }
  }

  @Test
  void makesANetworkOnTheGivenSchedulerAndClosesItWithItsLastTransport() throws TransportException {
    VirtualScheduler scheduler = new VirtualScheduler();
    TransportOptions options =
        TransportOptions.builder()
            .scheduler(scheduler)
            .property("inmemory.network", "provider-made")
            .build();
    Transport first = provider.create(options);
    Transport second = provider.create(options);

    InMemoryNetwork network = InMemoryNetwork.lookup("provider-made").orElseThrow();
    assertThat(network.scheduler()).isSameAs(scheduler);
    assertThat(network.seed()).isZero();

    first.close();
    assertThat(InMemoryNetwork.lookup("provider-made")).containsSame(network);
    second.close();
    assertThat(InMemoryNetwork.lookup("provider-made")).isEmpty();
    assertThat(scheduler.pendingTasks()).as("the caller's scheduler is left open").isZero();
    scheduler.execute(() -> {});
    assertThat(scheduler.pendingTasks()).isEqualTo(1);
  }

  @Test
  void withoutASchedulerItRunsOnItsOwnThread() throws Exception {
    TransportOptions options =
        TransportOptions.builder().property("inmemory.network", "provider-threaded").build();
    Recorder server = new Recorder();
    Transport serverTransport = provider.create(options);
    serverTransport.listen(new Endpoint("srv", 9), server);
    Transport clientTransport = provider.create(options);
    Recorder client = new Recorder();

    Connection c = clientTransport.dial(new Endpoint("srv", 9), client).get(10, TimeUnit.SECONDS);
    Connection accepted = server.accepted().get(0);
    c.send(frame("ping"));
    accepted.send(frame("pong"));

    assertThat(server.awaitFrames(1, Duration.ofSeconds(10))).isTrue();
    assertThat(client.awaitFrames(1, Duration.ofSeconds(10))).isTrue();
    assertThat(server.frames()).containsExactly("ping");
    assertThat(client.frames()).containsExactly("pong");
    c.close();
    assertThat(client.closed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.closed.await(10, TimeUnit.SECONDS)).isTrue();
    c.closeFuture().get(10, TimeUnit.SECONDS);

    serverTransport.close();
    clientTransport.close();
    assertThat(InMemoryNetwork.lookup("provider-threaded")).isEmpty();
  }

  @Test
  void anEmptyNetworkNameIsRejected() {
    TransportOptions options = TransportOptions.builder().property("inmemory.network", "").build();

    assertThatThrownBy(() -> provider.create(options))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("inmemory.network");
  }
}
