package org.ledgergossip.transport.netty;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.tck.TransportContract;

/**
 * The netty transport passes the whole transport contract, with real TLS on loopback, once per TLS
 * engine: the JDK engine on NIO event loops, and OpenSSL on the default event loops (epoll on
 * Linux; skipped when OpenSSL does not load). Transports alternate between two certificates of one
 * CA, so each side of a connection presents a different one.
 */
class NettyTransportContractTest {

  private static final TestPki PKI = TestPki.create("contract-ca");
  private static final List<TlsCredentials> PEERS =
      List.of(PKI.credentials("peer-a"), PKI.credentials("peer-b"));

  private final AtomicInteger next = new AtomicInteger();

  private TransportOptions.Builder engineOptions(TlsEngine engine, String eventLoop) {
    return TransportOptions.builder()
        .tls(PEERS.get(next.getAndIncrement() % PEERS.size()))
        .property(NettyTransportProvider.TLS_PROVIDER_PROPERTY, engine.propertyValue())
        .property(NettyTransportProvider.EVENT_LOOP_PROPERTY, eventLoop);
  }

  /** The contract on Netty with one TLS engine and event loop. */
  abstract class OnEngine extends TransportContract {
    private final TlsEngine engine;
    private final String eventLoop;

    OnEngine(TlsEngine engine, String eventLoop) {
      this.engine = engine;
      this.eventLoop = eventLoop;
    }

    @BeforeEach
    void requireEngine() {
      NettyTests.assumeAvailable(engine);
    }

    @Override
    protected Transport newTransport(TransportOptions options) throws Exception {
      return new NettyTransportProvider().create(options);
    }

    @Override
    protected Endpoint listenEndpoint() {
      return NettyTests.LOCAL;
    }

    @Override
    protected TransportOptions.Builder baseOptions() {
      return engineOptions(engine, eventLoop);
    }

    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.of(Capability.PEER_CERTIFICATES);
    }
  }

  @Nested
  class JdkEngineOnNio extends OnEngine {
    JdkEngineOnNio() {
      super(TlsEngine.JDK, "nio");
    }
  }

  @Nested
  class OpenSslEngine extends OnEngine {
    OpenSslEngine() {
      super(TlsEngine.OPENSSL, "auto");
    }
  }
}
