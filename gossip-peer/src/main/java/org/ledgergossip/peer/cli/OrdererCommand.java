package org.ledgergossip.peer.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.InvalidConfigException;
import org.ledgergossip.peer.config.LoadedConfig;
import org.ledgergossip.peer.config.OrdererSettings;
import org.ledgergossip.peer.config.OrdererYaml;
import org.ledgergossip.peer.daemon.OrdererDaemon;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip orderer}: runs the ordering-service emulator. */
@Command(
    name = "orderer",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an ordering service: the part of a Fabric network that puts transactions in order",
      "and cuts them into blocks. This one is an emulator with Fabric's own API",
      "(AtomicBroadcast Deliver and Broadcast over gRPC with mutual TLS), so peers cannot tell",
      "it from a real orderer. It signs and hash-chains every block as Fabric does."
    },
    subcommands = {OrdererCommand.Start.class})
public final class OrdererCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Picocli makes it. */
  public OrdererCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code gossip orderer start --config orderer.yaml [--rate R] [--block-size B]}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Starts the ordering-service emulator and runs it until SIGTERM or Ctrl-C.",
        "",
        "It cuts blocks from the transactions broadcast to it, and, with --rate above 0, also",
        "synthetic blocks on every channel. The configuration is a Fabric-style orderer.yaml",
        "(General.ListenAddress, General.ListenPort, General.LocalMSPDir, General.LocalMSPID,",
        "FileLedger.Location) plus Emulator.Channels, Emulator.BatchTimeout, Emulator.BatchSize,",
        "Emulator.Rate, Emulator.BlockSize; ORDERER_<KEY> variables override it.",
        "",
        "Exit codes: 0 stopped cleanly, 1 could not run, 2 invalid configuration."
      })
  static final class Start implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Start.class);

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "The orderer.yaml to read (default: $FABRIC_CFG_PATH/orderer.yaml).")
    @Nullable Path config;

    @Option(
        names = "--rate",
        paramLabel = "BLOCKS_PER_SECOND",
        description = "Synthetic blocks per second on every channel (overrides Emulator.Rate).")
    @Nullable Double rate;

    @Option(
        names = "--block-size",
        paramLabel = "BYTES",
        description = "Bytes of data in each synthetic block (overrides Emulator.BlockSize).")
    @Nullable Integer blockSize;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      try {
        var unused = Logging.fromEnvironment(System.getenv());
      } catch (IllegalArgumentException e) {
        err.println("gossip: " + e.getMessage());
        return Exits.USAGE;
      }
      LoadedConfig<OrdererSettings> loaded;
      OrdererSettings settings;
      try {
        loaded = OrdererYaml.load(config, System.getenv());
        settings = loaded.settings();
        if (rate != null || blockSize != null) {
          OrdererSettings.Emulator e = settings.emulator();
          settings =
              settings.toBuilder()
                  .emulator(
                      new OrdererSettings.Emulator(
                          e.channels(),
                          e.batchTimeout(),
                          e.batchSize(),
                          rate != null ? rate : e.rate(),
                          blockSize != null ? blockSize : e.blockSize()))
                  .build();
        }
      } catch (InvalidConfigException e) {
        return Exits.invalidConfig(err, config, e);
      } catch (IllegalArgumentException e) {
        err.println("gossip: " + e.getMessage());
        return Exits.USAGE;
      }
      for (String warning : loaded.warnings()) {
        log.warn("configuration {}: {}", loaded.file(), warning);
      }
      OrdererDaemon daemon;
      try {
        daemon = OrdererDaemon.start(settings, new SimpleMeterRegistry());
      } catch (InvalidIdentityException | LedgerException | IOException | RuntimeException e) {
        return Exits.startFailure(err, "the ordering service on " + settings.listenEndpoint(), e);
      }
      new Shutdown(daemon::close).install().await();
      return Exits.OK;
    }
  }
}
