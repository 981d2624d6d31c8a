package org.ledgergossip.tck.network;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.node.NodeListener;
import org.ledgergossip.node.NodeStartException;
import org.ledgergossip.orderer.BroadcastStatus;
import org.ledgergossip.orderer.EmulatorBlockSourceProvider;
import org.ledgergossip.orderer.OrdererEmulator;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * A whole network for the kit's network rules, in virtual time on the in-memory transport with
 * emulated mutual TLS: an {@link OrdererEmulator} (one block per transaction) reached through the
 * {@code emulator} block source, and {@link GossipNode}s of several organisations with Cryptogen
 * identities, all in channel {@value #CHANNEL}. Peer 0 of each organisation is the bootstrap peer
 * of the others and the anchor peer of its organisation. A hook changes every node's builder: that
 * is where a plugin under test is swapped in.
 *
 * <p>Not thread-safe: drive it from the test thread, between runs of {@link #runUntil}.
 */
public final class TckNetwork implements AutoCloseable {

  /** The channel every node joins. */
  public static final String CHANNEL = "tckchannel";

  private static final AtomicInteger NETWORKS = new AtomicInteger();

  private final VirtualScheduler time = new VirtualScheduler();
  private final InMemoryNetwork network;
  private final CryptoLayout layout;
  private final Msp ordererMsp;
  private final OrdererEmulator orderer;
  private final String name;
  private final Path dir;
  private final GossipConfig config;
  private final BiConsumer<GossipNode.Builder, Peer> hook;
  private final List<Peer> peers = new ArrayList<>();
  private int transactions;

  /** One node and what its listeners saw. */
  public final class Peer {
    /** Organisation number, from 1. */
    public final int org;

    /** Index in its organisation, from 0. */
    public final int index;

    /** Its ledger folder (the same across restarts). */
    public final Path ledgerDirectory;

    /** Block numbers it committed, in order. */
    public final List<Long> committed = new CopyOnWriteArrayList<>();

    final Msp msp;
    final Transport transport;
    GossipNode node;

    Peer(int org, int index, long incNum) throws IOException, InvalidIdentityException {
      this.org = org;
      this.index = index;
      this.ledgerDirectory = dir.resolve("ledgers").resolve(layout.peerName(org, index));
      msp = new X509MspProvider().create(layout.mspOptions(org, index, time.clock()));
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      Endpoint self = endpoint(org, index);
      GossipConfig.Builder c = config.toBuilder().externalEndpoint(self);
      if (index != 0) {
        c.bootstrap(List.of(endpoint(org, 0)));
      }
      Set<String> orgs = new LinkedHashSet<>();
      for (int o = 1; o <= layout.spec().orgs(); o++) {
        orgs.add(layout.mspId(o));
      }
      GossipNode.Builder b =
          GossipNode.builder()
              .config(c.build())
              .listen(self)
              .msp(msp)
              .transport(transport)
              .scheduler(time)
              .meterRegistry(new SimpleMeterRegistry())
              .seed(org * 1_000L + index)
              .incNum(incNum)
              .ledgerDirectory(ledgerDirectory)
              .blockSource(
                  EmulatorBlockSourceProvider.NAME,
                  List.of(Endpoint.parse("orderer.example.com:7050")),
                  Map.of(EmulatorBlockSourceProvider.NAME_PROPERTY, name))
              .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
              .ordererBackpressure(Duration.ZERO)
              .channel(CHANNEL, orgs);
      for (int o = 1; o <= layout.spec().orgs(); o++) {
        if (o != org) {
          b.anchorPeers(layout.mspId(o), List.of(endpoint(o, 0)));
        }
      }
      hook.accept(b, this);
      node = b.build();
      Runnable unused =
          node.addListener(
              new NodeListener() {
                @Override
                public void onCommit(String channel, Block block) {
                  committed.add(block.number());
                }
              });
    }

    /** The node. */
    public GossipNode node() {
      return node;
    }

    /** Its ledger height on {@value #CHANNEL}, or -1 when it is not running. */
    public long height() {
      return node.isRunning() ? node.height(CHANNEL) : -1;
    }

    /** True while it runs and leads its organisation in {@value #CHANNEL}. */
    public boolean leads() {
      return node.isRunning() && node.isLeader(CHANNEL);
    }

    @Override
    public String toString() {
      return layout.peerName(org, index);
    }
  }

  /**
   * A network of {@code orgs} organisations in folder {@code dir}; no peer started yet.
   *
   * @param hook called with each node's builder before it is built
   */
  public TckNetwork(
      Path dir,
      int orgs,
      int peersPerOrg,
      GossipConfig config,
      BiConsumer<GossipNode.Builder, Peer> hook)
      throws IOException, InvalidIdentityException {
    this.dir = requireNonNull(dir, "dir");
    this.config = requireNonNull(config, "config");
    this.hook = requireNonNull(hook, "hook");
    this.name = "tck-" + NETWORKS.incrementAndGet();
    network = InMemoryNetwork.builder().name(name).scheduler(time).seed(11).build();
    layout =
        Cryptogen.generate(
            dir.resolve("crypto"),
            Cryptogen.Spec.builder()
                .orgs(orgs)
                .peersPerOrg(peersPerOrg)
                .clock(time.clock())
                .build());
    ordererMsp =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    layout.ordererDir(),
                    layout.trustedOrgs(),
                    time.clock()));
    orderer =
        OrdererEmulator.builder()
            .msp(ordererMsp)
            .scheduler(time)
            .name(name)
            .maxMessageCount(1)
            .seed(1)
            .build();
    try {
      orderer.createChannel(CHANNEL);
    } catch (org.ledgergossip.spi.ledger.LedgerException e) {
      throw new IOException(e);
    }
  }

  /** Starts peer {@code index} of {@code org} (incarnation 1). */
  public Peer start(int org, int index) throws Exception {
    return start(org, index, 1);
  }

  /**
   * Starts peer {@code index} of {@code org} as incarnation {@code incNum}, on its ledger folder.
   */
  public Peer start(int org, int index, long incNum) throws Exception {
    Peer p = new Peer(org, index, incNum);
    peers.add(p);
    try {
      p.node.start();
    } catch (NodeStartException e) {
      p.transport.close();
      p.msp.close();
      throw e;
    }
    return p;
  }

  /** Stops {@code p} as if its process died; its ledger folder stays. */
  public void kill(Peer p) {
    p.node.close();
    network.faults().kill(endpoint(p.org, p.index));
    p.transport.close();
  }

  /** Has the ordering service order {@code count} transactions, one block each. */
  public void order(int count) {
    for (int i = 0; i < count; i++) {
      byte[] tx = ("tx-" + transactions++).getBytes(StandardCharsets.UTF_8);
      BroadcastStatus s = orderer.submit(CHANNEL, tx);
      if (s != BroadcastStatus.SUCCESS) {
        throw new IllegalStateException("the emulator refused a transaction: " + s);
      }
      time.advanceBy(Duration.ofMillis(5));
    }
  }

  /** The ordering service's height on {@value #CHANNEL}. */
  public long ordererHeight() {
    return orderer.height(CHANNEL);
  }

  /** Runs virtual time until {@code condition} holds or {@code limit} passed. */
  public boolean runUntil(BooleanSupplier condition, Duration limit) {
    return time.runUntil(condition, limit);
  }

  /** Lets {@code duration} of virtual time pass. */
  public void runFor(Duration duration) {
    time.advanceBy(duration);
  }

  /** The MSP id of organisation {@code org}. */
  public String mspId(int org) {
    return layout.mspId(org);
  }

  private Endpoint endpoint(int org, int index) {
    return new Endpoint(layout.peerName(org, index), 7051);
  }

  @Override
  public void close() {
    for (Peer p : peers) {
      p.node.close();
    }
    time.runUntilIdle();
    for (Peer p : peers) {
      p.transport.close();
      p.msp.close();
    }
    orderer.close();
    ordererMsp.close();
    network.close();
    time.close();
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
