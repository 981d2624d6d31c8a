package example.broken;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/**
 * A correct transport whose every connection handler (of dialled and of accepted connections) is
 * passed through {@code breakage} first: what the breakage changes in the callbacks is the only
 * difference from the wrapped transport. Thread-safe as the wrapped transport.
 */
final class HandlerWrappingTransport implements Transport {

  private final Transport delegate;
  private final UnaryOperator<ConnectionHandler> breakage;

  HandlerWrappingTransport(Transport delegate, UnaryOperator<ConnectionHandler> breakage) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.breakage = requireNonNull(breakage, "breakage");
  }

  @Override
  public Listener listen(Endpoint endpoint, Acceptor acceptor) throws TransportException {
    return delegate.listen(endpoint, c -> breakage.apply(acceptor.accept(c)));
  }

  @Override
  public CompletableFuture<Connection> dial(Endpoint remote, ConnectionHandler handler) {
    return delegate.dial(remote, breakage.apply(handler));
  }

  @Override
  public TransportOptions options() {
    return delegate.options();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "HandlerWrappingTransport[" + delegate + "]";
  }
}
