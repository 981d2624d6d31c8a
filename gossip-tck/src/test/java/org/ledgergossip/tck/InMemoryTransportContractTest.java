package org.ledgergossip.tck;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;

/**
 * The in-memory transport passes the transport contract, on real threads. Not final: the kit's
 * self-test breaks it on purpose in subclasses.
 */
class InMemoryTransportContractTest extends TransportContract {

  private static final AtomicInteger NETWORKS = new AtomicInteger();

  private final AtomicInteger hosts = new AtomicInteger();
  private InMemoryNetwork network;

  @BeforeEach
  void openNetwork() {
    String name = "tck-" + NETWORKS.incrementAndGet();
    network =
        InMemoryNetwork.builder().name(name).scheduler(Scheduler.system(name)).seed(1).build();
  }

  @AfterEach
  void closeNetwork() {
    Scheduler scheduler = network.scheduler();
    network.close();
    scheduler.close();
  }

  @Override
  protected Transport newTransport(TransportOptions options) {
    return network.newTransport(options);
  }

  @Override
  protected Endpoint listenEndpoint() {
    return new Endpoint("peer" + hosts.incrementAndGet() + ".example.com", 0);
  }
}
