package example.broken;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.tck.TransportContract;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.InMemoryTransportProvider;

/**
 * The kit's {@link TransportContract} on a provider of transports on the in-memory network: each
 * rule gets its own network (on real threads), and the provider's transports join it by the {@value
 * InMemoryTransportProvider#NETWORK_PROPERTY} option. The subclasses differ only in the provider,
 * so a rule that fails for a broken one and passes for {@code inmemory} fails because of the
 * breakage.
 *
 * <p>The subclasses' names do not end in {@code Test}: Surefire does not run them (a broken one
 * would fail the build); {@code BrokenTransportKitTest} runs them through {@code ContractRun}.
 */
abstract class InMemoryBasedContract extends TransportContract {

  private static final AtomicInteger NETWORKS = new AtomicInteger();

  private final AtomicInteger hosts = new AtomicInteger();
  private InMemoryNetwork network;

  /** The provider under test. */
  abstract TransportProvider provider();

  @BeforeEach
  void openNetwork() {
    String name = "broken-" + NETWORKS.incrementAndGet();
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
  protected Transport newTransport(TransportOptions options) throws Exception {
    return provider()
        .create(
            options.toBuilder()
                .property(InMemoryTransportProvider.NETWORK_PROPERTY, network.name())
                .build());
  }

  @Override
  protected Endpoint listenEndpoint() {
    return new Endpoint("peer" + hosts.incrementAndGet() + ".example.com", 0);
  }

  /** Short waits: a rule that the breakage fails costs one timeout, and that is expected. */
  @Override
  protected Duration timeout() {
    return Duration.ofSeconds(3);
  }
}
