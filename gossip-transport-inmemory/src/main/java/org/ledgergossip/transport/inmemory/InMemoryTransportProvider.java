package org.ledgergossip.transport.inmemory;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;

/**
 * The {@code inmemory} {@link TransportProvider}: transports on an {@link InMemoryNetwork} of this
 * JVM, for tests and simulations. Its priority is the lowest ({@value #PRIORITY}), so it is used
 * only when named.
 *
 * <p>{@link #create} puts the transport on the open network named by the option property {@value
 * #NETWORK_PROPERTY} (default {@value #DEFAULT_NETWORK}). If no network of that name is open, it
 * builds one with seed 0 and {@link TransportOptions#scheduler()} if given, else its own {@code
 * Scheduler.system("inmemory-<name>")} (one daemon thread); a network built here closes itself, and
 * the scheduler it made, when its last transport closes. For a deterministic run, build the network
 * yourself with {@link InMemoryNetwork#builder()} and a {@link VirtualScheduler} before creating
 * transports.
 *
 * <p>Stateless and thread-safe, like every {@link org.ledgergossip.spi.Provider}. {@link #create}
 * takes non-null options and throws {@link TransportException} only for an empty network name.
 */
@AutoService(TransportProvider.class)
public final class InMemoryTransportProvider implements TransportProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "inmemory";

  /** The provider's priority, {@value}: never chosen unless named. */
  public static final int PRIORITY = -100;

  /** The option property naming the network to join. */
  public static final String NETWORK_PROPERTY = "inmemory.network";

  /** The network joined when {@value #NETWORK_PROPERTY} is not set. */
  public static final String DEFAULT_NETWORK = "default";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public InMemoryTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * A transport on the network named by {@value #NETWORK_PROPERTY}, built if needed (see the class
   * Javadoc).
   *
   * @throws TransportException if {@value #NETWORK_PROPERTY} is set but empty
   */
  @Override
  public Transport create(TransportOptions options) throws TransportException {
    requireNonNull(options, "options");
    String network = options.property(NETWORK_PROPERTY).orElse(DEFAULT_NETWORK);
    if (network.isEmpty()) {
      throw new TransportException("option " + NETWORK_PROPERTY + " must not be empty");
    }
    return InMemoryNetwork.sharedTransport(network, options);
  }

  @Override
  public String toString() {
    return "InMemoryTransportProvider";
  }
}
