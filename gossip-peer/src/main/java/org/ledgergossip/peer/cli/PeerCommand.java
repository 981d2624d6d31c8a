package org.ledgergossip.peer.cli;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.InvalidConfigException;
import org.ledgergossip.node.NodeStartException;
import org.ledgergossip.peer.config.CoreYaml;
import org.ledgergossip.peer.config.LoadedConfig;
import org.ledgergossip.peer.config.PeerSettings;
import org.ledgergossip.peer.daemon.PeerDaemon;
import org.ledgergossip.peer.ops.LogLevels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gossip peer}: runs a peer. */
@Command(
    name = "peer",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a gossip peer: one member of an organisation in a Fabric-style network.",
      "",
      "A peer keeps a copy of the ledger (the chain of blocks) of each channel it joins, learns",
      "which other peers are alive, passes every new block on to the peers of its organisation,",
      "and asks peers that are ahead for blocks it missed. In each organisation one peer, the",
      "leader, fetches new blocks from the ordering service; the others get them by gossip."
    },
    subcommands = {PeerCommand.Start.class})
public final class PeerCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Picocli makes it. */
  public PeerCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code gossip peer start --config core.yaml}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Starts a peer and runs it until SIGTERM or Ctrl-C, then stops it cleanly (ledger synced,",
        "connections closed) and exits 0.",
        "",
        "The configuration is a Fabric-style core.yaml: peer.id, peer.address, peer.localMspId,",
        "peer.mspConfigPath, peer.fileSystemPath, peer.channels, peer.orderers, peer.gossip.* and",
        "operations.listenAddress. Any key can be overridden from the environment: CORE_ + the key",
        "upper-cased with dots as underscores (CORE_PEER_GOSSIP_BOOTSTRAP=127.0.0.1:7051).",
        "",
        "Exit codes: 0 stopped cleanly, 1 could not run (e.g. a port already in use),",
        "2 invalid configuration (every problem is listed, one per line)."
      })
  static final class Start implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Start.class);

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "The core.yaml to read (default: $FABRIC_CFG_PATH/core.yaml).")
    @Nullable Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter err = spec.commandLine().getErr();
      LogLevels levels;
      try {
        levels = Logging.fromEnvironment(System.getenv());
      } catch (IllegalArgumentException e) {
        err.println("gossip: " + e.getMessage());
        return Exits.USAGE;
      }
      LoadedConfig<PeerSettings> loaded;
      try {
        loaded = CoreYaml.load(config, System.getenv());
      } catch (InvalidConfigException e) {
        return Exits.invalidConfig(err, config, e);
      }
      for (String warning : loaded.warnings()) {
        log.warn("configuration {}: {}", loaded.file(), warning);
      }
      PeerSettings settings = loaded.settings();
      Operations ops;
      try {
        ops = Operations.start(settings, levels);
      } catch (java.io.IOException e) {
        return Exits.startFailure(
            err, "the operations endpoint on " + settings.operations().listenAddress(), e);
      }
      MeterRegistry meters = ops.meters();
      PeerDaemon daemon;
      try {
        daemon = PeerDaemon.start(settings, meters);
      } catch (NodeStartException | RuntimeException e) {
        ops.close();
        return Exits.startFailure(err, "peer " + settings.id(), e);
      }
      ops.serve(daemon);
      Shutdown shutdown =
          new Shutdown(
                  () -> {
                    ops.close();
                    daemon.close();
                  })
              .install();
      shutdown.await();
      return Exits.OK;
    }
  }
}
