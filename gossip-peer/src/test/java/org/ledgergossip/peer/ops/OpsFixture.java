package org.ledgergossip.peer.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.time.Cancellable;
import org.ledgergossip.core.internal.block.BlockFormat;
import org.ledgergossip.core.internal.block.BlockSigner;
import org.ledgergossip.core.internal.block.ChannelEnvelopes;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.node.GossipNode;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * Peers of one organisation on an in-memory network with emulated mutual TLS, in virtual time (the
 * parts of gossip-node's NodeFixture and FakeOrderer the operations tests need): each a {@link
 * GossipNode} with a Cryptogen identity, the {@code file} ledger in its own folder, channel {@value
 * #CHANNEL}, and a fake ordering service of signed, hash-chained blocks delivered every 5 ms. Peer
 * 0 bootstraps the others. Not thread-safe: drive it from the test thread.
 */
final class OpsFixture implements AutoCloseable {

  static final String CHANNEL = "mychannel";

  /** Fast timers: alive 1 s, expiry 5 s, state checks 1 s. */
  static final GossipConfig FAST =
      GossipConfig.builder()
          .aliveTimeInterval(Duration.ofSeconds(1))
          .aliveExpirationTimeout(Duration.ofSeconds(5))
          .reconnectInterval(Duration.ofSeconds(2))
          .pullInterval(Duration.ofSeconds(2))
          .pullPeerNum(3)
          .propagatePeerNum(3)
          .publishStateInfoInterval(Duration.ofSeconds(1))
          .requestStateInfoInterval(Duration.ofSeconds(1))
          .maxPropagationBurstSize(10)
          .maxPropagationBurstLatency(Duration.ofMillis(10))
          .stateCheckInterval(Duration.ofSeconds(1))
          .stateResponseTimeout(Duration.ofSeconds(1))
          .electionLeaderAliveThreshold(Duration.ofSeconds(2))
          .build();

  static final GossipConfig STATIC_LEADER =
      FAST.toBuilder().useLeaderElection(false).orgLeader(true).build();
  static final GossipConfig STATIC_FOLLOWER =
      FAST.toBuilder().useLeaderElection(false).orgLeader(false).build();

  private static int networks;

  final VirtualScheduler time = new VirtualScheduler();
  final InMemoryNetwork network;
  final CryptoLayout layout;
  private final Msp ordererMsp;
  private final BlockSigner signer;
  private final List<Block> chain = new ArrayList<>();
  private final Set<String> broken = ConcurrentHashMap.newKeySet();
  private final Path dir;
  private final List<Peer> peers = new ArrayList<>();

  /** One running peer. */
  final class Peer {
    final int index;
    final String name;
    final Msp msp;
    final Transport transport;
    final GossipNode node;
    final Path ledger;

    Peer(int index, GossipConfig config, GossipNode.Builder tweaks) throws Exception {
      this.index = index;
      this.name = layout.peerName(1, index);
      this.ledger = dir.resolve(name);
      msp = new X509MspProvider().create(layout.mspOptions(1, index, time.clock()));
      transport =
          network.newTransport(
              TransportOptions.builder().tls(msp.tlsCredentials().orElseThrow()).build());
      GossipConfig.Builder c = config.toBuilder().externalEndpoint(endpoint(index));
      if (index != 0) {
        c.bootstrap(List.of(endpoint(0)));
      }
      node =
          tweaks
              .config(c.build())
              .listen(endpoint(index))
              .msp(msp)
              .transport(transport)
              .scheduler(time)
              .seed(1000L + index)
              .incNum(1)
              .ledger("file", Map.of("file.fsync", "never"))
              .ledgerDirectory(ledger)
              .blockSource(source(name))
              .ordererMspIds(Set.of(CryptoLayout.ORDERER_MSP_ID))
              .ordererBackpressure(Duration.ZERO)
              .channel(CHANNEL, Set.of(layout.mspId(1)))
              .build();
      node.start();
    }

    long height() {
      return node.height(CHANNEL);
    }
  }

  OpsFixture(Path dir, int peersInOrg) throws Exception {
    this.dir = dir;
    network = InMemoryNetwork.builder().name("ops-" + ++networks).scheduler(time).seed(3).build();
    layout =
        Cryptogen.generate(
            dir.resolve("crypto"),
            Cryptogen.Spec.builder().orgs(1).peersPerOrg(peersInOrg).clock(time.clock()).build());
    ordererMsp =
        new X509MspProvider()
            .create(
                new MspOptions(
                    CryptoLayout.ORDERER_MSP_ID,
                    layout.ordererDir(),
                    layout.trustedOrgs(),
                    time.clock()));
    signer = new BlockSigner(ordererMsp, new Random(7));
  }

  Endpoint endpoint(int index) {
    return new Endpoint(layout.peerName(1, index), 7051);
  }

  /** Starts peer {@code index} with {@code config}; {@code tweaks} may set a meter registry. */
  Peer start(int index, GossipConfig config, GossipNode.Builder tweaks) throws Exception {
    Peer p = new Peer(index, config, tweaks);
    peers.add(p);
    return p;
  }

  Peer start(int index, GossipConfig config) throws Exception {
    return start(index, config, GossipNode.builder());
  }

  /** Stops {@code p} as if its process died. */
  void kill(Peer p) {
    p.node.close();
    network.faults().kill(endpoint(p.index));
    p.transport.close();
    p.msp.close();
  }

  boolean runUntil(BooleanSupplier condition, Duration limit) {
    return time.runUntil(condition, limit);
  }

  /** Cuts {@code count} more blocks on the ordering service. */
  synchronized void cut(int count) {
    for (int i = 0; i < count; i++) {
      int n = chain.size();
      Bytes previous = n == 0 ? Bytes.EMPTY : BlockFormat.headerHash(chain.get(n - 1));
      Bytes tx =
          ChannelEnvelopes.create(
              CHANNEL,
              ChannelEnvelopes.Type.MESSAGE,
              time.now(),
              Bytes.copyOf(("tx-" + n).getBytes(StandardCharsets.UTF_8)),
              ordererMsp,
              new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16)});
      chain.add(signer.sign(BlockFormat.newBlock(n, previous, List.of(tx)), 0));
    }
  }

  /** Makes the block source of {@code peer} fail (a failure every 100 ms) or work again. */
  void breakOrderer(String peer, boolean fail) {
    if (fail) {
      broken.add(peer);
    } else {
      broken.remove(peer);
    }
  }

  private BlockSource source(String peer) {
    return new BlockSource() {
      @Override
      public Subscription subscribe(String ch, long fromHeight, Listener listener) {
        long[] next = {fromHeight};
        long[] failingSince = {-1};
        Cancellable task =
            time.scheduleAtFixedRate(
                () -> {
                  if (broken.contains(peer)) {
                    long now = time.clock().nanoTime();
                    if (failingSince[0] < 0) {
                      failingSince[0] = now;
                    }
                    if ((now / 1_000_000) % 100 < 5) {
                      listener.onFailure(
                          new IllegalStateException("orderer unreachable"),
                          (now - failingSince[0]) / 1_000_000);
                    }
                    return;
                  }
                  failingSince[0] = -1;
                  Block b;
                  synchronized (OpsFixture.this) {
                    if (next[0] >= chain.size()) {
                      return;
                    }
                    b = chain.get((int) next[0]);
                  }
                  next[0]++;
                  listener.onBlock(b);
                },
                Duration.ofMillis(5),
                Duration.ofMillis(5));
        return task::cancel;
      }

      @Override
      public void close() {}
    };
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
    ordererMsp.close();
    network.close();
    time.close();
  }
}
