package org.ledgergossip.peer;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.hyperledger.fabric.protos.gossip.DataMessage;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.Payload;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;
import org.ledgergossip.spi.transport.SendResult;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportException;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.transport.inmemory.InMemoryNetwork;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/**
 * The demo's story: peers on one in-memory network in virtual time exchange wire-codec-encoded
 * gossip messages through five phases of injected faults. Single-threaded (everything runs on the
 * virtual scheduler, driven from the caller's thread), deterministic for a seed.
 */
final class InMemoryFaultDemo {

  private static final String CHANNEL = "mychannel";
  private static final int MESSAGES_PER_PAIR = 10;
  private static final int CODEC_LIMIT = 64 * 1024;
  private static final int TRANSPORT_LIMIT = 1024 * 1024;

  private final int peerCount;
  private final long seed;
  private final double loss;
  private final PrintWriter out;
  private final VirtualScheduler time = new VirtualScheduler();
  private final WireCodec codec = new WireCodec(CODEC_LIMIT, new SimpleMeterRegistry());
  private final List<Endpoint> endpoints = new ArrayList<>();

  /** Connection from endpoint a to endpoint b, as seen from a. */
  private final Map<Endpoint, Map<Endpoint, Connection>> links = new LinkedHashMap<>();

  private long delivered;
  private long rejected;
  private long closesSeen;
  private final Map<String, Long> rejections = new TreeMap<>();

  /** What the demo measured; {@link #consistent()} says whether every phase added up. */
  record Summary(
      long sent,
      long delivered,
      long lostToFaults,
      long rejected,
      long closes,
      boolean consistent) {}

  InMemoryFaultDemo(int peerCount, long seed, double loss, PrintWriter out) {
    this.peerCount = peerCount;
    this.seed = seed;
    this.loss = loss;
    this.out = out;
  }

  Summary run() {
    String name = "demo-" + seed + "-" + System.identityHashCode(this);
    try (InMemoryNetwork network =
        InMemoryNetwork.builder().name(name).scheduler(time).seed(seed).build()) {
      out.printf(
          "ledgergossip demo: %d peers on the in-memory transport, virtual time, seed %d%n",
          peerCount, seed);
      out.println("Every frame is a Fabric GossipMessage (DataMessage) checked by the wire codec.");
      connect(network);
      boolean ok = true;

      Phase p1 = phase("1 healthy network", endpoints);
      ok &= p1.delivered == p1.sent;
      out.println(p1.line(""));

      network.faults().dropRate(loss).delay(Duration.ofMillis(5), Duration.ofMillis(50));
      long dropsBefore = network.faults().framesLostToDrop();
      Phase p2 =
          phase(String.format(Locale.ROOT, "2 %.0f%% loss, 5-50 ms delay", loss * 100), endpoints);
      long dropped = network.faults().framesLostToDrop() - dropsBefore;
      ok &= p2.delivered + dropped == p2.sent;
      out.println(p2.line("lost to injected loss: " + dropped));

      network.faults().heal();
      int half = endpoints.size() / 2;
      Set<Endpoint> left = Set.copyOf(endpoints.subList(0, half));
      Set<Endpoint> right = Set.copyOf(endpoints.subList(half, endpoints.size()));
      network.faults().partition(left, right);
      long partBefore = network.faults().framesLostToPartition();
      Phase p3 = phase("3 partition " + hosts(left) + " | " + hosts(right), endpoints);
      long cut = network.faults().framesLostToPartition() - partBefore;
      long crossing = 2L * left.size() * right.size() * MESSAGES_PER_PAIR;
      ok &= cut == crossing && p3.delivered == p3.sent - crossing;
      out.println(p3.line("lost to the partition: " + cut + " (every frame that crossed it)"));

      network.faults().heal();
      Endpoint victim = endpoints.get(endpoints.size() - 1);
      long closesBefore = closesSeen;
      network.faults().kill(victim);
      time.runUntilIdle();
      long resets = closesSeen - closesBefore;
      List<Endpoint> survivors = endpoints.subList(0, endpoints.size() - 1);
      Phase p4 = phase("4 healed; " + victim.host() + " crashed", survivors);
      long refused = sendToDead(survivors, victim);
      ok &= p4.delivered == p4.sent && refused == survivors.size();
      out.println(
          p4.line(resets + " connection closes seen; sends to the dead peer refused: " + refused));

      badInput();
      ok &= rejected == 4;

      long sent = p1.sent + p2.sent + p3.sent + p4.sent;
      long lost = dropped + cut;
      out.printf(
          "summary: %d frames sent, %d delivered, %d lost to injected faults, %d rejected by the"
              + " codec, %.3f s of virtual time; every phase adds up: %s%n",
          sent, delivered, lost, rejected, time.clock().nanoTime() / 1e9, ok ? "yes" : "NO");
      out.printf("Run it again with --seed %d and you get the same story.%n", seed);
      return new Summary(sent, delivered, lost, rejected, closesSeen, ok);
    }
  }

  private void connect(InMemoryNetwork network) {
    List<Transport> transports = new ArrayList<>();
    TransportOptions options =
        TransportOptions.builder().maxFrameSize(TRANSPORT_LIMIT).sendQueueSize(1000).build();
    for (int i = 0; i < peerCount; i++) {
      Transport t = network.newTransport(options);
      transports.add(t);
      Endpoint wanted = new Endpoint("peer" + i + ".org1.example.com", 7051);
      try {
        Endpoint bound =
            t.listen(
                    wanted,
                    c -> {
                      links
                          .computeIfAbsent(wanted, k -> new LinkedHashMap<>())
                          .put(c.remoteEndpoint(), c);
                      return new Receiver(wanted);
                    })
                .endpoint();
        endpoints.add(bound);
      } catch (TransportException e) {
        throw new IllegalStateException("demo could not listen on " + wanted, e);
      }
    }
    int connections = 0;
    for (int i = 0; i < peerCount; i++) {
      for (int j = i + 1; j < peerCount; j++) {
        Endpoint from = endpoints.get(i);
        Endpoint to = endpoints.get(j);
        CompletableFuture<Connection> dial = transports.get(i).dial(to, new Receiver(from));
        time.runUntilIdle();
        links.computeIfAbsent(from, k -> new LinkedHashMap<>()).put(to, dial.join());
        connections++;
      }
    }
    out.printf("%d peers listening, %d connections (a full mesh)%n", peerCount, connections);
  }

  private Phase phase(String title, List<Endpoint> members) {
    long before = delivered;
    long sent = 0;
    for (int k = 0; k < MESSAGES_PER_PAIR; k++) {
      for (Endpoint from : members) {
        for (Endpoint to : members) {
          if (!from.equals(to) && send(from, to, frame(k)) == SendResult.QUEUED) {
            sent++;
          }
        }
      }
    }
    time.advanceBy(Duration.ofSeconds(1));
    return new Phase(title, sent, delivered - before);
  }

  private long sendToDead(List<Endpoint> survivors, Endpoint dead) {
    long refused = 0;
    for (Endpoint from : survivors) {
      if (send(from, dead, frame(0)) == SendResult.CLOSED) {
        refused++;
      }
    }
    return refused;
  }

  private void badInput() {
    Endpoint from = endpoints.get(0);
    Endpoint to = endpoints.get(1);
    out.println("5 bad input from " + from.host() + " to " + to.host() + ":");
    GossipMessage wrongTag = message(0).toBuilder().setTag(GossipMessage.Tag.EMPTY).build();
    byte[][] frames = {
      {0x0a, (byte) 0xff, 0x01, 0x02},
      Envelope.newBuilder().setSignature(ByteString.copyFromUtf8("sig")).build().toByteArray(),
      WireCodec.envelopeOf(wrongTag).toByteArray(),
      WireCodec.envelopeOf(
              message(1).toBuilder()
                  .setDataMsg(
                      DataMessage.newBuilder()
                          .setPayload(
                              Payload.newBuilder()
                                  .setSeqNum(1)
                                  .setData(ByteString.copyFrom(new byte[CODEC_LIMIT + 1]))))
                  .build())
          .toByteArray()
    };
    for (byte[] f : frames) {
      send(from, to, f);
    }
    SendResult huge = send(from, to, new byte[TRANSPORT_LIMIT + 1]);
    time.advanceBy(Duration.ofSeconds(1));
    out.printf("  a frame over the transport's 1 MiB limit: not sent (%s)%n", huge);
    rejections.forEach((reason, n) -> out.printf("  rejected by the codec, %s: %d%n", reason, n));
  }

  private SendResult send(Endpoint from, Endpoint to, byte[] frame) {
    Connection c = links.getOrDefault(from, Map.of()).get(to);
    return c == null ? SendResult.CLOSED : c.send(frame);
  }

  private byte[] frame(int seq) {
    try {
      return codec.encode(message(seq));
    } catch (MalformedMessageException e) {
      throw new IllegalStateException("demo message did not encode", e);
    }
  }

  private static GossipMessage message(int seq) {
    return GossipMessage.newBuilder()
        .setNonce(seq)
        .setChannel(ByteString.copyFromUtf8(CHANNEL))
        .setTag(GossipMessage.Tag.CHAN_AND_ORG)
        .setDataMsg(
            DataMessage.newBuilder()
                .setPayload(
                    Payload.newBuilder()
                        .setSeqNum(seq)
                        .setData(ByteString.copyFromUtf8("block " + seq))))
        .build();
  }

  private static String hosts(Set<Endpoint> side) {
    return side.stream()
        .map(e -> e.host().replace(".org1.example.com", ""))
        .sorted()
        .toList()
        .toString();
  }

  private record Phase(String title, long sent, long delivered) {
    String line(String extra) {
      return String.format(
          Locale.ROOT,
          "phase %s: sent %d, delivered %d%s",
          title,
          sent,
          delivered,
          extra.isEmpty() ? "" : "; " + extra);
    }
  }

  /** Decodes what a peer receives; counts deliveries and codec rejections. */
  private final class Receiver implements ConnectionHandler {
    private final Endpoint self;

    Receiver(Endpoint self) {
      this.self = self;
    }

    @Override
    public void onFrame(Connection connection, byte[] frame) {
      try {
        codec.decode(frame);
        delivered++;
      } catch (MalformedMessageException e) {
        rejected++;
        rejections.merge(e.reason().metricTag() + " (" + e.getMessage() + ")", 1L, Long::sum);
      }
    }

    @Override
    public void onClose(Connection connection, @Nullable Throwable cause) {
      closesSeen++;
      links.getOrDefault(self, Map.of()).remove(connection.remoteEndpoint());
    }
  }
}
