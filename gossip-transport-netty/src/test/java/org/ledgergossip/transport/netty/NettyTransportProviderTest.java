package org.ledgergossip.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ledgergossip.transport.netty.NettyTests.LOCAL;
import static org.ledgergossip.transport.netty.NettyTests.TIMEOUT;
import static org.ledgergossip.transport.netty.NettyTests.options;

import io.netty.handler.ssl.OpenSsl;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ledgergossip.api.Providers;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;
import org.ledgergossip.tck.FrameRecorder;

/** The provider: its name and priority, which TLS engine it reports, and option validation. */
class NettyTransportProviderTest {

  private static final TestPki PKI = TestPki.create("provider-ca");
  private static final TlsCredentials TLS = PKI.credentials("peer");

  private final NettyTransportProvider provider = new NettyTransportProvider();
  private final NettyTests t = new NettyTests();

  @AfterEach
  void closeAll() throws Exception {
    t.closeAll();
  }

  @Test
  void isTheNettyProviderWithPriorityTenAndWinsByPriority() {
    assertThat(provider.name()).isEqualTo("netty");
    assertThat(provider.priority()).isEqualTo(10);
    assertThat(provider.isAvailable()).isTrue();
    assertThat(Providers.load(TransportProvider.class, "netty"))
        .isInstanceOf(NettyTransportProvider.class);
  }

  @Test
  void createWithoutTlsFailsNamingTheOption() {
    assertThatThrownBy(() -> provider.create(TransportOptions.builder().build()))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("requires TLS")
        .hasMessageContaining("TransportOptions.tls");
  }

  @Test
  void reportsTheTlsEngine() throws Exception {
    TransportOptions auto = TransportOptions.builder().tls(TLS).build();
    TlsEngine expected = OpenSsl.isAvailable() ? TlsEngine.OPENSSL : TlsEngine.JDK;
    assertThat(provider.tlsEngine(auto)).isEqualTo(expected).isEqualTo(TlsEngine.auto());
    assertThat(t.transport(auto).tlsEngine()).isEqualTo(expected);

    TransportOptions jdk = options(TLS, TlsEngine.JDK).build();
    assertThat(provider.tlsEngine(jdk)).isEqualTo(TlsEngine.JDK);
    assertThat(t.transport(jdk).tlsEngine()).isEqualTo(TlsEngine.JDK);
    assertThat(TlsEngine.JDK.description()).contains("JDK");
  }

  @Test
  void openSslIsUsedWhenAskedForOrRefusedWithTheReason() throws Exception {
    TransportOptions openssl =
        TransportOptions.builder()
            .tls(TLS)
            .property(NettyTransportProvider.TLS_PROVIDER_PROPERTY, "openssl")
            .build();
    if (OpenSsl.isAvailable()) {
      assertThat(provider.tlsEngine(openssl)).isEqualTo(TlsEngine.OPENSSL);
      assertThat(TlsEngine.OPENSSL.description()).startsWith("OpenSSL (");
    } else {
      assertThatThrownBy(() -> provider.create(openssl))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("netty.tls.provider=openssl");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "netty.tls.provider, gnutls",
    "netty.tls.protocols, TLSv1.1",
    "netty.tls.protocols, ''",
    "netty.ioThreads, many",
    "netty.ioThreads, 0",
    "netty.idleTimeout, soon",
    "netty.idleTimeout, 0s",
    "netty.eventLoop, kqueue",
    "netty.tls.provder, jdk",
  })
  void invalidPropertyIsRefusedNamingIt(String key, String value) {
    TransportOptions options = TransportOptions.builder().tls(TLS).property(key, value).build();
    assertThatThrownBy(() -> provider.create(options))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining(key);
  }

  @Test
  void otherProvidersPropertiesAreIgnored() throws Exception {
    TransportOptions options =
        TransportOptions.builder().tls(TLS).property("inmemory.network", "x").build();
    assertThat(t.transport(options)).isNotNull();
  }

  @Test
  void ioThreadsBoundsTheWorkerThreads() throws Exception {
    NettyTransport server =
        t.transport(
            options(TLS, TlsEngine.auto())
                .property(NettyTransportProvider.IO_THREADS_PROPERTY, "1")
                .build());
    Listener listener = t.track(server.listen(LOCAL, c -> new FrameRecorder()));
    NettyTransport client =
        t.transport(
            options(TLS, TlsEngine.auto())
                .property(NettyTransportProvider.IO_THREADS_PROPERTY, "3")
                .build());
    for (int i = 0; i < 6; i++) {
      client
          .dial(listener.endpoint(), new FrameRecorder())
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    assertThat(threads(server.threadNamePrefix() + "io-")).isEqualTo(1);
    assertThat(threads(server.threadNamePrefix() + "boss-")).isEqualTo(1);
    assertThat(threads(client.threadNamePrefix() + "io-")).isEqualTo(3);
    assertThat(threads(client.threadNamePrefix() + "boss-")).isZero(); // never listened
  }

  private static long threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(th -> th.getName().startsWith(prefix))
        .count();
  }
}
