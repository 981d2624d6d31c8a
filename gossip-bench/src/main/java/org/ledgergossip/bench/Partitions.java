package org.ledgergossip.bench;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;

/**
 * Partitions of a {@link NodeNetwork}'s peers: in memory through the network's own faults, on Netty
 * through {@link CountingTransport#cut} in every peer, the peer at the other end of a connection
 * being recognised by its TLS certificate. Not thread-safe for {@link #partition} and {@link #heal}
 * (the scenario's thread); the predicates it installs are called from transport threads and only
 * read concurrent maps.
 */
final class Partitions {

  private final @Nullable InMemoryNetwork network;
  private final ScenarioOptions options;
  private final List<NodePeer> peers;
  private final Map<X509Certificate, Integer> certificates = new ConcurrentHashMap<>();
  private final Map<Connection, Integer> remotes = new ConcurrentHashMap<>();

  Partitions(@Nullable InMemoryNetwork network, ScenarioOptions options, List<NodePeer> peers) {
    this.network = network;
    this.options = options;
    this.peers = peers;
  }

  /** Remembers {@code p}'s TLS certificate, so that connections to it are recognised. */
  void register(NodePeer p) {
    certificates.put(p.msp.tlsCredentials().orElseThrow().certificate(), p.index);
  }

  private Endpoint endpointOf(int index) {
    for (NodePeer p : peers) {
      if (p.index == index) {
        return p.endpoint;
      }
    }
    throw new IllegalArgumentException("no peer " + index);
  }

  /**
   * Splits the peers into {@code sides} (peer indexes; peers in no side form one more side): in
   * memory by the network's own partition (frames across lost, dials across black-holed), on Netty
   * by {@link CountingTransport#cut} in every peer (frames across lost both ways; dials succeed,
   * then the gossip handshake times out). Connections across stay open, silent, unless {@code
   * reset}: then each is also closed at once, as by a middlebox's RST or a keep-alive timeout.
   * Replaces an earlier split.
   *
   * @return connections closed by the reset
   */
  int partition(List<Set<Integer>> sides, boolean reset) {
    Map<Integer, Integer> sideOf = new HashMap<>();
    for (int s = 0; s < sides.size(); s++) {
      for (int i : sides.get(s)) {
        sideOf.put(i, s);
      }
    }
    if (network != null) {
      List<Set<Endpoint>> eps = new ArrayList<>();
      for (Set<Integer> side : sides) {
        eps.add(side.stream().map(i -> endpointOf(i)).collect(Collectors.toSet()));
      }
      network.faults().partition(eps);
    }
    int closed = 0;
    for (NodePeer p : peers) {
      int mine = sideOf.getOrDefault(p.index, -1);
      Predicate<Connection> across =
          c -> {
            int other = remoteIndex(c);
            return other >= 0 && sideOf.getOrDefault(other, -1) != mine;
          };
      if (network == null) {
        p.transport.cut(across);
      }
      if (reset && !p.killed) {
        closed += p.transport.closeMatching(across);
      }
    }
    return closed;
  }

  /** Lifts the partition (the in-memory link delay stays as configured). */
  void heal() {
    if (network != null) {
      network.faults().heal();
      if (options.delayMax().compareTo(Duration.ZERO) > 0) {
        network.faults().delay(options.delayMin(), options.delayMax());
      }
      return;
    }
    for (NodePeer p : peers) {
      p.transport.cut(null);
    }
  }

  /** Frames lost to the partition so far. */
  long framesLostToPartition() {
    if (network != null) {
      return network.faults().framesLostToPartition();
    }
    long sum = 0;
    for (NodePeer p : peers) {
      sum += p.transport.lostFrames.sum();
    }
    return sum;
  }

  /** The index of the peer at the other end of {@code c} (by its TLS certificate), or -1. */
  private int remoteIndex(Connection c) {
    Integer known = remotes.get(c);
    if (known != null) {
      return known;
    }
    int found = c.peerCertificate().map(cert -> certificates.getOrDefault(cert, -1)).orElse(-1);
    if (remotes.size() < 100_000) {
      remotes.put(c, found);
    }
    return found;
  }
}
