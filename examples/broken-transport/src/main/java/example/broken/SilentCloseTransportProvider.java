package example.broken;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.transport.inmemory.InMemoryTransportProvider;

/**
 * A deliberately wrong {@link TransportProvider}, {@value #NAME}: the {@code inmemory} transport,
 * except that no handler is ever told that its connection closed ({@link ConnectionHandler#onClose}
 * is swallowed), whoever closed it and why. It breaks exactly one promise of {@link
 * ConnectionHandler}: "called exactly once per connection". Frames and their order are untouched.
 *
 * <p>Options as {@code inmemory}. Never use it but to prove the kit: its priority ({@value
 * #PRIORITY}) keeps it from being chosen unless named. Stateless and thread-safe.
 */
@AutoService(TransportProvider.class)
public final class SilentCloseTransportProvider implements TransportProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "silent-close";

  /** The provider's priority, {@value}: never chosen unless named. */
  public static final int PRIORITY = -1000;

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public SilentCloseTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * An {@code inmemory} transport whose handlers never see a close.
   *
   * @throws TransportException as {@code inmemory} does
   */
  @Override
  public Transport create(TransportOptions options) throws TransportException {
    requireNonNull(options, "options");
    Transport inMemory =
        Providers.load(TransportProvider.class, InMemoryTransportProvider.NAME).create(options);
    return new HandlerWrappingTransport(inMemory, SilentCloseTransportProvider::silent);
  }

  private static ConnectionHandler silent(ConnectionHandler handler) {
    return new ConnectionHandler() {
      @Override
      public void onFrame(Connection connection, byte[] frame) {
        handler.onFrame(connection, frame);
      }

      @Override
      public void onClose(Connection connection, @Nullable Throwable cause) {
        // the bug: the application never learns that the connection is gone
      }
    };
  }

  @Override
  public String toString() {
    return "SilentCloseTransportProvider";
  }
}
