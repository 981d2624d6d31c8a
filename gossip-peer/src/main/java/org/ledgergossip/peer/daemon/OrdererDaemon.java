package org.ledgergossip.peer.daemon;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Providers;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.orderer.OrdererEmulator;
import org.ledgergossip.orderer.OrdererServer;
import org.ledgergossip.orderer.SyntheticLoad;
import org.ledgergossip.peer.config.OrdererSettings;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.msp.MspProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordering-service emulator as {@code gossip orderer start} runs it: an {@link OrdererEmulator}
 * keeping each channel's blocks in a {@code file} ledger under {@code FileLedger.Location}, served
 * over gRPC with mutual TLS by an {@link OrdererServer} on {@code
 * General.ListenAddress:ListenPort}, cutting blocks from what is broadcast and, when {@code
 * Emulator.Rate} is above 0, synthetic ones.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class OrdererDaemon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OrdererDaemon.class);

  private final OrdererServer server;
  private final Deque<AutoCloseable> toClose;

  private OrdererDaemon(OrdererServer server, Deque<AutoCloseable> toClose) {
    this.server = server;
    this.toClose = toClose;
  }

  /**
   * Starts the emulator and its server.
   *
   * @throws InvalidIdentityException if the MSP folder cannot be used
   * @throws LedgerException if a channel's ledger cannot be opened (folder locked or corrupt)
   * @throws IOException if the listen endpoint cannot be bound
   */
  public static OrdererDaemon start(OrdererSettings settings, MeterRegistry meters)
      throws InvalidIdentityException, LedgerException, IOException {
    requireNonNull(settings, "settings");
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    try {
      Msp msp =
          Providers.load(MspProvider.class, "x509")
              .create(
                  new MspOptions(
                      settings.localMspId(),
                      settings.localMspDir(),
                      settings.trustedOrganizations(),
                      Clock.system()));
      opened.push(msp);
      Scheduler scheduler = Scheduler.system("orderer");
      opened.push(scheduler);
      LedgerStoreProvider ledgers = Providers.load(LedgerStoreProvider.class, "file");
      OrdererSettings.Emulator e = settings.emulator();
      OrdererEmulator emulator =
          OrdererEmulator.builder()
              .msp(msp)
              .scheduler(scheduler)
              .meterRegistry(meters)
              .maxMessageCount(e.batchSize())
              .batchTimeout(e.batchTimeout())
              .ledger(
                  channel ->
                      ledgers.open(
                          new LedgerOptions(
                              channel, settings.fileLedgerLocation().resolve(channel), Map.of())))
              .build();
      opened.push(emulator);
      for (String channel : e.channels()) {
        emulator.createChannel(channel);
        if (e.rate() > 0) {
          var unused =
              emulator.startSynthetic(channel, SyntheticLoad.rate(e.rate(), e.blockSize()));
        }
      }
      Endpoint listen = settings.listenEndpoint();
      OrdererServer server =
          OrdererServer.builder().emulator(emulator).endpoint(listen).meterRegistry(meters).start();
      opened.push(server);
      log.info(
          "ordering service {} listening on {}, channels {}, {} synthetic blocks/s of {} bytes",
          settings.localMspId(),
          server.endpoint(),
          e.channels(),
          e.rate(),
          e.blockSize());
      return new OrdererDaemon(server, opened);
    } catch (InvalidIdentityException | LedgerException | IOException | RuntimeException ex) {
      closeAll(opened);
      throw ex;
    }
  }

  /** Where the server listens. */
  public Endpoint endpoint() {
    return server.endpoint();
  }

  @Override
  public synchronized void close() {
    closeAll(toClose);
  }

  private static void closeAll(Deque<AutoCloseable> opened) {
    while (!opened.isEmpty()) {
      AutoCloseable c = opened.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed", c, e);
      }
    }
  }
}
