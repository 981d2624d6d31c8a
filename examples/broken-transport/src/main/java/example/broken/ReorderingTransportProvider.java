package example.broken;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import java.time.Duration;
import org.ledgergossip.api.Providers;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.InMemoryTransportProvider;

/**
 * A deliberately wrong {@link TransportProvider}, {@value #NAME}: the {@code inmemory} transport,
 * except that each connection hands its frames to the application in swapped pairs (the second
 * frame first). It breaks exactly one promise of {@link org.ledgergossip.spi.transport.Connection}:
 * "frames arrive in the order they were sent". It loses nothing: a frame left without a partner is
 * delivered alone after {@link #PATIENCE}, or before the close, whichever comes first.
 *
 * <p>Options as {@code inmemory} ({@value InMemoryTransportProvider#NETWORK_PROPERTY}). The
 * patience is timed on {@link TransportOptions#scheduler()} if set, else on the in-memory network's
 * own scheduler; no thread of its own. Never use it but to prove the kit: its priority ({@value
 * #PRIORITY}) keeps it from being chosen unless named. Stateless and thread-safe.
 */
@AutoService(TransportProvider.class)
public final class ReorderingTransportProvider implements TransportProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "reordering";

  /** The provider's priority, {@value}: never chosen unless named. */
  public static final int PRIORITY = -1000;

  /** How long a frame waits for the next one to be swapped with before it is delivered alone. */
  public static final Duration PATIENCE = Duration.ofMillis(500);

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public ReorderingTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * An {@code inmemory} transport whose handlers see each connection's frames in swapped pairs.
   *
   * @throws TransportException as {@code inmemory} does
   */
  @Override
  public Transport create(TransportOptions options) throws TransportException {
    requireNonNull(options, "options");
    Transport inMemory =
        Providers.load(TransportProvider.class, InMemoryTransportProvider.NAME).create(options);
    String network =
        options
            .property(InMemoryTransportProvider.NETWORK_PROPERTY)
            .orElse(InMemoryTransportProvider.DEFAULT_NETWORK);
    Scheduler scheduler =
        options
            .scheduler()
            .orElseGet(() -> InMemoryNetwork.lookup(network).orElseThrow().scheduler());
    return new HandlerWrappingTransport(
        inMemory, handler -> new SwappingHandler(handler, scheduler, PATIENCE));
  }

  @Override
  public String toString() {
    return "ReorderingTransportProvider";
  }
}
