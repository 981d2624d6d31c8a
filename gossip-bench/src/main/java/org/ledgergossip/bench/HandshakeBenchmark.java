package org.ledgergossip.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.Handshaker;
import org.ledgergossip.core.internal.comm.Session;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Full connection set-ups per second on loopback: TCP connect, mutual TLS 1.3, and the signed
 * gossip handshake both ways (identity validation, TLS binding, signature), then an orderly close.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {

  /** The TLS engine: {@code jdk} or {@code openssl}. */
  @Param({"jdk", "openssl"})
  public String engine;

  private TlsPair pair;
  private Scheduler scheduler;
  private Handshaker clientHandshaker;
  private Endpoint server;

  /** Starts the listening peer. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pair = new TlsPair(engine, 1 << 20);
    scheduler = Scheduler.system("bench-handshake");
    Handshaker serverHandshaker = handshaker(pair.serverMsp);
    clientHandshaker = handshaker(pair.clientMsp);
    server =
        pair.listen(
            c -> {
              Session s = serverHandshaker.newSession(false, p -> IGNORE);
              s.start(c);
              return s;
            });
  }

  private Handshaker handshaker(org.ledgergossip.spi.msp.Msp msp) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    return Handshaker.builder()
        .msp(msp)
        .codec(new WireCodec(1 << 20, meters))
        .scheduler(scheduler)
        .meterRegistry(meters)
        .connTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pair.close();
    scheduler.close();
  }

  /** One authenticated connection, from dial to close. */
  @Benchmark
  public AuthenticatedPeer connectAndAuthenticate() throws Exception {
    Session s = clientHandshaker.newSession(false, p -> IGNORE);
    Connection c = pair.client.dial(server, s).get(10, TimeUnit.SECONDS);
    s.start(c);
    AuthenticatedPeer peer = s.result().get(10, TimeUnit.SECONDS);
    c.close();
    return peer;
  }

  private static final ConnectionHandler IGNORE =
      new ConnectionHandler() {
        @Override
        public void onFrame(Connection connection, byte[] frame) {}

        @Override
        public void onClose(Connection connection, @Nullable Throwable cause) {}
      };
}
