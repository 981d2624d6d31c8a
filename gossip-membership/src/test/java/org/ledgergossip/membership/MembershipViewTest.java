package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.api.MembershipEvent.Type.ALIVE_AGAIN;
import static org.ledgergossip.api.MembershipEvent.Type.DEAD;
import static org.ledgergossip.api.MembershipEvent.Type.JOINED;
import static org.ledgergossip.api.MembershipEvent.Type.PURGED;
import static org.ledgergossip.api.MembershipEvent.Type.UPDATED;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.MembershipEvent;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.membership.MembershipView.Outcome;
import org.ledgergossip.transport.inmemory.VirtualScheduler;

/** {@link MembershipView} in virtual time: aliveExpirationTimeout 10 s, factor 3, check 1 s. */
class MembershipViewTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration TICK = TIMEOUT.dividedBy(10);
  private static final int FACTOR = 3;
  private static final Endpoint BOOTSTRAP = new Endpoint("bootstrap", 7051);
  private static final Endpoint ANCHOR = new Endpoint("anchor", 7051);

  private final VirtualScheduler time = new VirtualScheduler();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<MembershipEvent> events = new ArrayList<>();
  private MembershipView view = newView(100);

  private MembershipView newView(int maxMembers) {
    MembershipView v =
        MembershipView.builder()
            .scheduler(time)
            .meterRegistry(meters)
            .aliveExpirationTimeout(TIMEOUT)
            .msgExpirationFactor(FACTOR)
            .maxMembers(maxMembers)
            .neverPurge(Set.of(BOOTSTRAP, ANCHOR))
            .self(pki(0))
            .build();
    Runnable unused = v.addListener(events::add);
    v.start();
    return v;
  }

  @AfterEach
  void close() {
    view.close();
    time.close();
  }

  private static PkiId pki(int n) {
    return PkiId.of(new byte[] {(byte) n, 1, 2, 3});
  }

  private static AliveRecord alive(int peer, long inc, long seq) {
    return alive(peer, inc, seq, "meta", new Endpoint("peer" + peer, 7051));
  }

  private static AliveRecord alive(int peer, long inc, long seq, String meta, Endpoint external) {
    return new AliveRecord(
        pki(peer),
        Optional.of(external),
        Optional.of(new Endpoint("internal" + peer, 7051)),
        Bytes.copyOf(meta.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new PeerTime(inc, seq),
        Optional.empty());
  }

  private List<Tuple> eventsSoFar() {
    List<Tuple> out = new ArrayList<>();
    for (MembershipEvent e : events) {
      out.add(new Tuple(e.type(), e.member().pkiId()));
    }
    return out;
  }

  private double counter(String name) {
    return meters.counter(name).count();
  }

  private double knownGauge() {
    return meters.get(MembershipView.KNOWN_GAUGE).gauge().value();
  }

  @Test
  void firstAliveJoins() {
    assertThat(view.onAlive(alive(1, 1, 1), "Org1MSP")).isEqualTo(Outcome.JOINED);

    Member m = view.alive().get(0);
    assertThat(m.pkiId()).isEqualTo(pki(1));
    assertThat(m.mspId()).isEqualTo("Org1MSP");
    assertThat(m.internalEndpoint()).contains(new Endpoint("internal1", 7051));
    assertThat(m.lastSeen()).isEqualTo(new PeerTime(1, 1));
    assertThat(view.dead()).isEmpty();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).type()).isEqualTo(JOINED);
    assertThat(events.get(0).at()).isEqualTo(time.now());
    assertThat(knownGauge()).isEqualTo(1.0);
  }

  @Test
  void newerAliveWithChangedMetadataOrEndpointUpdates() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");

    assertThat(view.onAlive(alive(1, 1, 2), "Org1MSP")).isEqualTo(Outcome.REFRESHED);
    assertThat(view.onAlive(alive(1, 1, 3, "new", new Endpoint("peer1", 7051)), "Org1MSP"))
        .isEqualTo(Outcome.UPDATED);
    assertThat(view.onAlive(alive(1, 1, 4, "new", new Endpoint("moved", 9051)), "Org1MSP"))
        .isEqualTo(Outcome.UPDATED);

    assertThat(eventsSoFar())
        .containsExactly(
            new Tuple(JOINED, pki(1)), new Tuple(UPDATED, pki(1)), new Tuple(UPDATED, pki(1)));
    assertThat(view.member(pki(1)).orElseThrow().externalEndpoint())
        .contains(new Endpoint("moved", 9051));
    assertThat(view.member(pki(1)).orElseThrow().lastSeen()).isEqualTo(new PeerTime(1, 4));
  }

  @Test
  void aliveWithoutInternalEndpointKeepsTheKnownOne() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");
    AliveRecord stripped =
        new AliveRecord(
            pki(1),
            Optional.of(new Endpoint("peer1", 7051)),
            Optional.empty(),
            alive(1, 1, 2).metadata(),
            new PeerTime(1, 2),
            Optional.empty());

    assertThat(view.onAlive(stripped, "Org1MSP")).isEqualTo(Outcome.REFRESHED);
    assertThat(view.member(pki(1)).orElseThrow().internalEndpoint())
        .contains(new Endpoint("internal1", 7051));
  }

  @Test
  void equalAndOlderTimestampsAreIgnoredAndCounted() {
    view.onAlive(alive(1, 5, 10), "Org1MSP");
    Member before = view.member(pki(1)).orElseThrow();

    Endpoint elsewhere = new Endpoint("attacker", 1);
    assertThat(view.onAlive(alive(1, 5, 10, "x", elsewhere), "Org1MSP")).isEqualTo(Outcome.STALE);
    assertThat(view.onAlive(alive(1, 5, 9, "x", elsewhere), "Org1MSP")).isEqualTo(Outcome.STALE);
    assertThat(view.onAlive(alive(1, 4, 1_000, "x", elsewhere), "Org1MSP"))
        .isEqualTo(Outcome.STALE);

    assertThat(counter(MembershipView.STALE_COUNTER)).isEqualTo(3.0);
    assertThat(view.member(pki(1))).contains(before);
    assertThat(eventsSoFar()).containsExactly(new Tuple(JOINED, pki(1)));
  }

  @Test
  void replayedOldAliveNeverRevivesADeadPeer() {
    view.onAlive(alive(1, 1, 5), "Org1MSP");
    time.advanceBy(TIMEOUT.plus(TICK));
    assertThat(view.isAlive(pki(1))).isFalse();

    assertThat(view.onAlive(alive(1, 1, 5), "Org1MSP")).isEqualTo(Outcome.STALE);
    assertThat(view.onAlive(alive(1, 1, 4), "Org1MSP")).isEqualTo(Outcome.STALE);

    assertThat(view.isAlive(pki(1))).isFalse();
    assertThat(eventsSoFar()).containsExactly(new Tuple(JOINED, pki(1)), new Tuple(DEAD, pki(1)));
  }

  @Test
  void peerIsDeadJustAfterAliveExpirationTimeoutAtTheCheckGranularity() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");

    time.advanceBy(TIMEOUT);
    assertThat(view.isAlive(pki(1))).as("silent for exactly the timeout").isTrue();

    time.advanceBy(TICK);
    assertThat(view.isAlive(pki(1)))
        .as("silent for more than the timeout, at the next check")
        .isFalse();
    assertThat(view.dead()).extracting(Member::pkiId).containsExactly(pki(1));
    assertThat(view.alive()).isEmpty();
    assertThat(events.get(1).type()).isEqualTo(DEAD);
    assertThat(events.get(1).at()).isEqualTo(time.now());
  }

  @Test
  void freshAliveMessagesKeepAPeerAlive() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");
    for (int seq = 2; seq <= 20; seq++) {
      time.advanceBy(TIMEOUT.dividedBy(2));
      view.onAlive(alive(1, 1, seq), "Org1MSP");
    }
    assertThat(view.isAlive(pki(1))).isTrue();
    assertThat(eventsSoFar()).containsExactly(new Tuple(JOINED, pki(1)));
  }

  @Test
  void restartedPeerWithNewIncNumIsAliveAgain() {
    view.onAlive(alive(1, 100, 50), "Org1MSP");
    time.advanceBy(TIMEOUT.plus(TICK));
    assertThat(view.isAlive(pki(1))).isFalse();

    assertThat(view.onAlive(alive(1, 200, 1), "Org1MSP")).isEqualTo(Outcome.ALIVE_AGAIN);

    assertThat(view.isAlive(pki(1))).isTrue();
    assertThat(view.member(pki(1)).orElseThrow().lastSeen()).isEqualTo(new PeerTime(200, 1));
    assertThat(eventsSoFar())
        .containsExactly(
            new Tuple(JOINED, pki(1)), new Tuple(DEAD, pki(1)), new Tuple(ALIVE_AGAIN, pki(1)));
    time.advanceBy(TIMEOUT);
    assertThat(view.isAlive(pki(1))).as("its silence is counted from the new message").isTrue();
  }

  @Test
  void deadPeerIsPurgedAfterTimeoutTimesFactor() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");

    time.advanceBy(TIMEOUT.multipliedBy(FACTOR));
    assertThat(view.dead()).extracting(Member::pkiId).containsExactly(pki(1));

    time.advanceBy(TICK);
    assertThat(view.dead()).isEmpty();
    assertThat(view.member(pki(1))).isEmpty();
    assertThat(view.size()).isZero();
    assertThat(knownGauge()).isZero();
    assertThat(eventsSoFar())
        .containsExactly(
            new Tuple(JOINED, pki(1)), new Tuple(DEAD, pki(1)), new Tuple(PURGED, pki(1)));

    assertThat(view.onAlive(alive(1, 1, 2), "Org1MSP"))
        .as("a purged peer that comes back joins again")
        .isEqualTo(Outcome.JOINED);
  }

  @Test
  void bootstrapAndAnchorPeersAreNeverPurged() {
    view.onAlive(alive(1, 1, 1, "m", BOOTSTRAP), "Org1MSP");
    AliveRecord anchorByInternal =
        new AliveRecord(
            pki(2),
            Optional.empty(),
            Optional.of(ANCHOR),
            Bytes.EMPTY,
            new PeerTime(1, 1),
            Optional.empty());
    view.onAlive(anchorByInternal, "Org1MSP");
    view.onAlive(alive(3, 1, 1), "Org1MSP");

    time.advanceBy(TIMEOUT.multipliedBy(FACTOR * 10L));

    assertThat(view.dead()).extracting(Member::pkiId).containsExactly(pki(1), pki(2));
    assertThat(view.member(pki(3))).isEmpty();
    assertThat(events)
        .filteredOn(e -> e.type() == PURGED)
        .extracting(e -> e.member().pkiId())
        .containsExactly(pki(3));
  }

  @Test
  void endpointsAddedToNeverPurgeAtRunTimeAreNeverPurged() {
    Endpoint lateAnchor = new Endpoint("late-anchor", 7051);
    view.onAlive(alive(1, 1, 1, "m", lateAnchor), "Org2MSP");
    view.onAlive(alive(2, 1, 1), "Org1MSP");

    view.addNeverPurge(List.of(lateAnchor));
    time.advanceBy(TIMEOUT.multipliedBy(FACTOR * 10L));

    assertThat(view.dead()).extracting(Member::pkiId).containsExactly(pki(1));
    assertThat(view.member(pki(2))).isEmpty();
  }

  @Test
  void markDeadDeclaresAPeerDeadAtOnce() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");

    assertThat(view.markDead(pki(1))).isTrue();
    assertThat(view.markDead(pki(1))).as("already dead").isFalse();
    assertThat(view.markDead(pki(9))).as("unknown").isFalse();
    assertThat(view.dead()).extracting(Member::pkiId).containsExactly(pki(1));

    assertThat(view.onAlive(alive(1, 1, 1), "Org1MSP")).isEqualTo(Outcome.STALE);
    assertThat(view.onAlive(alive(1, 1, 2), "Org1MSP")).isEqualTo(Outcome.ALIVE_AGAIN);
    assertThat(eventsSoFar())
        .containsExactly(
            new Tuple(JOINED, pki(1)), new Tuple(DEAD, pki(1)), new Tuple(ALIVE_AGAIN, pki(1)));
  }

  @Test
  void forgetRemovesAPeerAtOnceEvenABootstrapPeerWithAPurgedEvent() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");
    view.onAlive(alive(2, 1, 1, "meta", BOOTSTRAP), "Org1MSP");
    view.markDead(pki(2));

    assertThat(view.forget(pki(1))).isTrue();
    assertThat(view.forget(pki(2))).as("never-purge does not protect a revoked peer").isTrue();
    assertThat(view.forget(pki(3))).as("unknown").isFalse();

    assertThat(view.size()).isZero();
    assertThat(knownGauge()).isZero();
    assertThat(view.member(pki(1))).isEmpty();
    assertThat(eventsSoFar())
        .containsExactly(
            new Tuple(JOINED, pki(1)),
            new Tuple(JOINED, pki(2)),
            new Tuple(DEAD, pki(2)),
            new Tuple(PURGED, pki(1)),
            new Tuple(PURGED, pki(2)));
    // It comes back only as a new peer.
    assertThat(view.onAlive(alive(1, 1, 2), "Org1MSP")).isEqualTo(Outcome.JOINED);
  }

  @Test
  void newPeersBeyondTheBoundAreRefusedAndCounted() {
    view.close();
    view = newView(2);
    view.onAlive(alive(1, 1, 1), "Org1MSP");
    view.onAlive(alive(2, 1, 1), "Org1MSP");

    assertThat(view.onAlive(alive(3, 1, 1), "Org1MSP")).isEqualTo(Outcome.REFUSED_FULL);
    assertThat(view.onAlive(alive(2, 1, 2, "x", new Endpoint("peer2", 7051)), "Org1MSP"))
        .as("known peers still update")
        .isEqualTo(Outcome.UPDATED);
    assertThat(counter(MembershipView.REFUSED_COUNTER)).isEqualTo(1.0);
    assertThat(view.size()).isEqualTo(2);
    assertThat(view.member(pki(3))).isEmpty();

    time.advanceBy(TIMEOUT.multipliedBy(FACTOR).plus(TICK));
    assertThat(view.onAlive(alive(3, 1, 2), "Org1MSP"))
        .as("room again once the others are purged")
        .isEqualTo(Outcome.JOINED);
  }

  @Test
  void ownAliveMessagesAreIgnored() {
    assertThat(view.onAlive(alive(0, 1, 1), "Org1MSP")).isEqualTo(Outcome.SELF);
    assertThat(view.size()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void listenersGetEventsInOrderEvenWhenTheyCallBack() {
    List<String> seen = new ArrayList<>();
    Runnable unused =
        view.addListener(
            e -> {
              seen.add(e.type() + " " + e.member().pkiId());
              if (e.type() == JOINED && e.member().pkiId().equals(pki(2))) {
                view.markDead(pki(1)); // re-entrant: delivered after this event
              }
            });
    Runnable unusedToo =
        view.addListener(
            e -> {
              throw new IllegalStateException("a broken listener does not stop the others");
            });

    view.onAlive(alive(1, 1, 1), "Org1MSP");
    view.onAlive(alive(2, 1, 1), "Org1MSP");
    view.onAlive(alive(2, 1, 2, "changed", new Endpoint("peer2", 7051)), "Org1MSP");
    time.advanceBy(TIMEOUT.plus(TICK));

    assertThat(seen)
        .containsExactly(
            "JOINED " + pki(1),
            "JOINED " + pki(2),
            "DEAD " + pki(1),
            "UPDATED " + pki(2),
            "DEAD " + pki(2));
    assertThat(eventsSoFar())
        .as("the first listener saw the same sequence")
        .containsExactly(
            new Tuple(JOINED, pki(1)),
            new Tuple(JOINED, pki(2)),
            new Tuple(DEAD, pki(1)),
            new Tuple(UPDATED, pki(2)),
            new Tuple(DEAD, pki(2)));
  }

  @Test
  void removedListenerGetsNoMoreEvents() {
    List<MembershipEvent> mine = new ArrayList<>();
    Runnable remove = view.addListener(mine::add);
    view.onAlive(alive(1, 1, 1), "Org1MSP");
    remove.run();
    view.onAlive(alive(2, 1, 1), "Org1MSP");

    assertThat(mine).hasSize(1);
    assertThat(events).hasSize(2);
  }

  @Test
  void closeStopsTheExpiryCheck() {
    view.onAlive(alive(1, 1, 1), "Org1MSP");
    view.close();

    time.advanceBy(TIMEOUT.multipliedBy(FACTOR * 2L));

    assertThat(view.isAlive(pki(1))).isTrue();
    assertThat(time.pendingTasks()).isZero();
  }

  @Test
  void concurrentCallersNeverRunListenersConcurrentlyAndLoseNoEvent() throws Exception {
    AtomicInteger inListener = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    List<MembershipEvent> seen = new CopyOnWriteArrayList<>();
    Runnable unused =
        view.addListener(
            e -> {
              if (inListener.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
              }
              seen.add(e);
              inListener.decrementAndGet();
            });
    int threads = 4;
    int peersPerThread = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = 1 + t * peersPerThread;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int seq = 1; seq <= 5; seq++) {
                    for (int p = first; p < first + peersPerThread; p++) {
                      view.onAlive(alive(p, 1, seq, "m" + seq, new Endpoint("e" + p, 1)), "O");
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(overlaps.get()).isZero();
    assertThat(view.size()).isEqualTo(threads * peersPerThread);
    assertThat(seen).filteredOn(e -> e.type() == JOINED).hasSize(threads * peersPerThread);
    assertThat(seen).filteredOn(e -> e.type() == UPDATED).hasSize(threads * peersPerThread * 4);
    for (int p = 1; p <= threads * peersPerThread; p++) {
      PkiId id = pki(p);
      assertThat(seen)
          .filteredOn(e -> e.member().pkiId().equals(id))
          .extracting(e -> e.member().lastSeen().seqNum())
          .as("events of one peer in the order of its alive messages")
          .containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }
}
