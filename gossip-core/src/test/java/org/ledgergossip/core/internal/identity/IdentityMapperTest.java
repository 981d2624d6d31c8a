package org.ledgergossip.core.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.core.internal.identity.IdentityMapper.PurgeReason;
import org.ledgergossip.core.internal.identity.IdentityMapper.RejectReason;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;

/**
 * The identity mapper in virtual time ({@code VirtualScheduler}): validation on put, expiry timer,
 * usage purge, re-validation after revocation, the bound, and the listeners. No sleeping.
 */
class IdentityMapperTest {

  private static final Instant G = MapperNetwork.GENERATED;

  @TempDir Path dir;
  private MapperNetwork network;
  private Msp msp;
  private final List<String> purged = new CopyOnWriteArrayList<>();
  private IdentityMapper store;

  @BeforeEach
  void setUp() throws Exception {
    network = new MapperNetwork(dir);
    msp = network.msp(1, 0);
  }

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
    network.close();
  }

  private IdentityMapper store(IdentityMapper.Builder b) {
    store =
        b.listener((pkiId, reason, detail) -> purged.add(pkiId + " " + reason + ": " + detail))
            .build();
    return store;
  }

  private IdentityMapper store() {
    return store(IdentityMapper.builder(msp, network.time));
  }

  @Test
  void putValidatesAndStoresByPkiIdBesidesTheOwnIdentity() throws Exception {
    IdentityMapper s = store();
    assertThat(s.size()).isEqualTo(1);
    assertThat(s.get(msp.localIdentity().pkiId())).isPresent();
    Bytes peer = network.msp(2, 0).localIdentity().serialized();
    Identity stored = s.put(peer);
    assertThat(s.get(stored.pkiId())).containsSame(stored);
    assertThat(s.put(stored.pkiId(), peer)).as("the first stays").isSameAs(stored);
    assertThat(s.size()).isEqualTo(2);
  }

  @Test
  void invalidIdentitiesAndWrongPkiIdsAreRefusedAndCounted() throws Exception {
    IdentityMapper s = store();
    Bytes foreign =
        Cryptogen.foreignIdentity("Org1MSP", "x", G, G.plus(Duration.ofDays(1))).serialized();
    assertThatThrownBy(() -> s.put(foreign))
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining("not signed by a CA of 'Org1MSP'");
    Bytes peer = network.msp(1, 1).localIdentity().serialized();
    PkiId wrong = msp.localIdentity().pkiId();
    assertThatThrownBy(() -> s.put(wrong, peer)).hasMessageContaining("claimed " + wrong.toHex());
    assertThat(s.rejections(RejectReason.INVALID)).isEqualTo(1);
    assertThat(s.rejections(RejectReason.PKI_ID_MISMATCH)).isEqualTo(1);
    assertThat(s.size()).isEqualTo(1);
  }

  @Test
  void anExpiredIdentityIsRefusedEvenIfTheMspLetsItThrough() throws Exception {
    Msp lax = MapperNetwork.ignoringExpiry(msp);
    IdentityMapper s = store(IdentityMapper.builder(lax, network.time));
    Bytes old = network.issue(1, "old", G, G.plus(Duration.ofDays(1))).serialized();
    assertThat(lax.validate(old).pkiId()).as("valid when issued").isNotNull();
    network.advance(Duration.ofDays(2));
    assertThat(lax.validate(old)).as("the MSP lets it through").isNotNull();
    assertThatThrownBy(() -> s.put(old)).hasMessageContaining("expired at 2026-01-02T00:00:00Z");
    assertThat(s.rejections(RejectReason.EXPIRED)).isEqualTo(1);
  }

  @Test
  void anIdentityIsRemovedWhenItsCertificateExpires() throws Exception {
    IdentityMapper s =
        store(IdentityMapper.builder(msp, network.time).usageThreshold(Duration.ofDays(1)));
    Identity brief = s.put(network.issue(1, "brief", G, G.plus(Duration.ofHours(10))).serialized());
    network.advance(Duration.ofHours(9));
    s.get(brief.pkiId());
    network.advance(Duration.ofMinutes(59).plusSeconds(59));
    assertThat(s.get(brief.pkiId())).as("until notAfter").isPresent();
    network.advance(Duration.ofSeconds(1).plusMillis(1));
    assertThat(s.get(brief.pkiId())).isEmpty();
    assertThat(purged).containsExactly(brief.pkiId() + " EXPIRED: expired at 2026-01-01T10:00:00Z");
  }

  @Test
  void anIdentityUnusedForTheThresholdIsPurgedAndUseKeepsItAlive() throws Exception {
    IdentityMapper s = store();
    Identity peer = s.put(network.msp(2, 0).localIdentity().serialized());
    network.advance(Duration.ofMinutes(50));
    assertThat(s.get(peer.pkiId())).isPresent();
    network.advance(Duration.ofMinutes(50));
    assertThat(purged).isEmpty();
    network.advance(Duration.ofMinutes(16)); // 66 min unused: threshold 60 + check period 6
    assertThat(purged).containsExactly(peer.pkiId() + " UNUSED: not used for PT1H");
    assertThat(s.get(peer.pkiId())).isEmpty();
    network.advance(Duration.ofDays(1));
    assertThat(s.get(msp.localIdentity().pkiId())).as("own identity is never purged").isPresent();
  }

  @Test
  void theUsageThresholdAndPeriodAreConfigurable() throws Exception {
    IdentityMapper s =
        store(
            IdentityMapper.builder(msp, network.time)
                .usageThreshold(Duration.ofMinutes(5))
                .purgeInterval(Duration.ofMinutes(1)));
    Identity peer = s.put(network.msp(2, 0).localIdentity().serialized());
    network.advance(Duration.ofMinutes(5));
    assertThat(s.get(peer.pkiId())).isPresent();
    network.advance(Duration.ofMinutes(6));
    assertThat(s.get(peer.pkiId())).isEmpty();
  }

  @Test
  void revalidateAllRemovesRevokedIdentitiesAfterReload() throws Exception {
    IdentityMapper s = store();
    Identity victim = s.put(network.msp(1, 1).localIdentity().serialized());
    Identity other = s.put(network.msp(2, 0).localIdentity().serialized());
    network.revoke(1, victim.serialized());
    assertThat(s.revalidateAll()).as("nothing before the reload").isZero();
    msp.reload();
    assertThat(s.revalidateAll()).isEqualTo(1);
    assertThat(s.get(victim.pkiId())).isEmpty();
    assertThat(s.get(other.pkiId())).isPresent();
    assertThat(purged)
        .singleElement()
        .asString()
        .startsWith(victim.pkiId() + " INVALID: ")
        .contains("is revoked (serial");
  }

  @Test
  void aFullStoreRefusesNewIdentitiesAndCountsThem() throws Exception {
    IdentityMapper s = store(IdentityMapper.builder(msp, network.time).maxEntries(2));
    Identity first = s.put(network.msp(1, 1).localIdentity().serialized());
    Bytes second = network.msp(2, 0).localIdentity().serialized();
    assertThatThrownBy(() -> s.put(second))
        .isInstanceOf(IdentityMapper.StoreFullException.class)
        .hasMessageContaining("full (2 identities)");
    assertThat(s.put(first.serialized())).as("a known identity is still accepted").isSameAs(first);
    assertThat(s.rejections(RejectReason.FULL)).isEqualTo(1);
    assertThat(s.size()).isEqualTo(2);
  }

  @Test
  void aFailingListenerDoesNotStopTheOthers() throws Exception {
    List<PurgeReason> seen = new CopyOnWriteArrayList<>();
    IdentityMapper s =
        store(
            IdentityMapper.builder(msp, network.time)
                .listener(
                    (p, r, d) -> {
                      throw new IllegalStateException("boom");
                    })
                .listener((p, r, d) -> seen.add(r)));
    s.put(network.issue(1, "brief", G, G.plus(Duration.ofMinutes(1))).serialized());
    network.advance(Duration.ofMinutes(2));
    assertThat(seen).containsExactly(PurgeReason.EXPIRED);
    assertThat(purged).hasSize(1);
  }

  @Test
  void closeCancelsEveryTimerAndRefusesPuts() throws Exception {
    IdentityMapper s = store();
    s.put(network.msp(2, 0).localIdentity().serialized());
    assertThat(network.time.pendingTasks()).isEqualTo(3); // purge task and two expiry timers
    s.close();
    s.close();
    assertThat(network.time.pendingTasks()).isZero();
    Bytes peer = network.msp(1, 1).localIdentity().serialized();
    assertThatThrownBy(() -> s.put(peer)).isInstanceOf(IllegalStateException.class);
    assertThat(s.get(msp.localIdentity().pkiId())).isEmpty();
  }

  @Test
  void containsDoesNotCountAsUseSoTheIdentityIsStillPurged() throws Exception {
    IdentityMapper s = store();
    Identity peer = s.put(network.msp(2, 0).localIdentity().serialized());
    network.advance(Duration.ofMinutes(59));
    assertThat(s.contains(peer.pkiId())).isTrue();
    network.advance(Duration.ofMinutes(11)); // purge check at 66 min
    assertThat(s.contains(peer.pkiId())).isFalse();
    assertThat(purged).containsExactly(peer.pkiId() + " UNUSED: not used for PT1H");
  }

  @Test
  void aListenerAddedLaterIsToldOfRemovalsUntilItIsRemoved() throws Exception {
    IdentityMapper s = store();
    List<String> late = new CopyOnWriteArrayList<>();
    Runnable unregister = s.addListener((p, r, d) -> late.add(p + " " + r));
    Identity first = s.put(network.issue(1, "a", G, G.plus(Duration.ofMinutes(1))).serialized());
    network.advance(Duration.ofMinutes(2));
    assertThat(late).containsExactly(first.pkiId() + " EXPIRED");
    unregister.run();
    s.put(network.issue(1, "b", G, G.plus(Duration.ofMinutes(3))).serialized());
    network.advance(Duration.ofMinutes(2));
    assertThat(late).hasSize(1);
    assertThat(purged).hasSize(2);
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> IdentityMapper.builder(msp, network.time).maxEntries(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> IdentityMapper.builder(msp, network.time).usageThreshold(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
