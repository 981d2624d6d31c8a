package org.ledgergossip.transport.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;

/** Shared helpers of this module's tests: options, transports, and what a test must close. */
final class NettyTests {

  /** Where every test listens: loopback, any free port. */
  static final Endpoint LOCAL = new Endpoint("127.0.0.1", 0);

  /** Bound on every wait. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** Options with these credentials on {@code engine}, a short dial timeout and small frames. */
  static TransportOptions.Builder options(TlsCredentials tls, TlsEngine engine) {
    return TransportOptions.builder()
        .tls(tls)
        .dialTimeout(Duration.ofSeconds(2))
        .maxFrameSize(64 * 1024)
        .property(NettyTransportProvider.TLS_PROVIDER_PROPERTY, engine.propertyValue())
        .property(NettyTransportProvider.IO_THREADS_PROPERTY, "1");
  }

  /** Skips the test when {@code engine} cannot run here. */
  static void assumeAvailable(TlsEngine engine) {
    assumeTrue(engine.isAvailable(), engine + " is not available in this JVM");
  }

  /** A transport closed by {@link #closeAll()}. */
  NettyTransport transport(TransportOptions options) throws TransportException {
    return track((NettyTransport) new NettyTransportProvider().create(options));
  }

  /** Closes {@code resource} at the end of the test, before what was tracked earlier. */
  <T extends AutoCloseable> T track(T resource) {
    resources.push(resource);
    return resource;
  }

  /** Closes what was tracked, newest first. */
  void closeAll() throws Exception {
    AutoCloseable r;
    while ((r = resources.poll()) != null) {
      r.close();
    }
  }
}
