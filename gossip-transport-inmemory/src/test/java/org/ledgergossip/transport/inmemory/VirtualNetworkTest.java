package org.ledgergossip.transport.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/** Shared set-up: one network on a {@link VirtualScheduler}, closed after each test. */
abstract class VirtualNetworkTest {

  static final Endpoint A = new Endpoint("a", 7051);
  static final Endpoint B = new Endpoint("b", 7051);
  static final Endpoint C = new Endpoint("c", 7051);

  final VirtualScheduler scheduler = new VirtualScheduler();
  final MeterRegistry meters = new SimpleMeterRegistry();
  final InMemoryNetwork network = InMemoryNetwork.builder().scheduler(scheduler).seed(42).build();

  @AfterEach
  void closeNetwork() {
    network.close();
    scheduler.runUntilIdle();
    assertThat(InMemoryNetwork.lookup(network.name())).isEmpty();
  }

  Transport transport() {
    return transport(b -> b);
  }

  Transport transport(UnaryOperator<TransportOptions.Builder> settings) {
    return network.newTransport(
        settings.apply(TransportOptions.builder().meterRegistry(meters)).build());
  }

  /**
   * A transport listening on {@code endpoint} whose accepted connections go to {@code acceptor}.
   */
  Transport listening(Endpoint endpoint, Recorder acceptor) throws TransportException {
    return listening(endpoint, acceptor, b -> b);
  }

  Transport listening(
      Endpoint endpoint, Recorder acceptor, UnaryOperator<TransportOptions.Builder> settings)
      throws TransportException {
    Transport t = transport(settings);
    t.listen(endpoint, acceptor);
    return t;
  }

  /** Dials and runs the scheduler until the dial completed; fails if it did not succeed. */
  Connection connect(Transport from, Endpoint to, ConnectionHandler handler) {
    CompletableFuture<Connection> dial = from.dial(to, handler);
    scheduler.runUntilIdle();
    assertThat(dial).isCompleted();
    return dial.join();
  }

  double counter(String name) {
    return meters.counter(name).count();
  }
}
