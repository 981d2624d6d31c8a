package org.ledgergossip.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Listener;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.netty.NettyTransportProvider;

/** A server and a client Netty transport with mutual TLS on loopback. Not thread-safe. */
final class TlsPair implements AutoCloseable {

  final BenchPki pki = new BenchPki();
  final Msp serverMsp = pki.msp(1, 0);
  final Msp clientMsp = pki.msp(2, 0);
  final Transport server;
  final Transport client;
  Listener listener;

  TlsPair(String engine, int maxFrameSize) throws TransportException {
    server = transport(serverMsp, engine, maxFrameSize);
    client = transport(clientMsp, engine, maxFrameSize);
  }

  Endpoint listen(Transport.Acceptor acceptor) throws TransportException {
    listener = server.listen(new Endpoint("127.0.0.1", 0), acceptor);
    return listener.endpoint();
  }

  private static Transport transport(Msp msp, String engine, int maxFrameSize)
      throws TransportException {
    return new NettyTransportProvider()
        .create(
            TransportOptions.builder()
                .tls(msp.tlsCredentials().orElseThrow())
                .maxFrameSize(maxFrameSize)
                .sendQueueSize(1024)
                .receiveQueueSize(256)
                .dialTimeout(Duration.ofSeconds(10))
                .meterRegistry(new SimpleMeterRegistry())
                .property("netty.tls.provider", engine)
                .build());
  }

  @Override
  public void close() {
    client.close();
    server.close();
    serverMsp.close();
    clientMsp.close();
    pki.close();
  }
}
