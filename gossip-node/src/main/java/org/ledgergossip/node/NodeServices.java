package org.ledgergossip.node;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.AuthenticatedPeer;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.membership.Discovery;
import org.ledgergossip.membership.GossipChannels;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.orderer.BlockSource;

/**
 * What every channel of a started node shares: built once by {@link GossipNode#start()}, so that
 * the per-channel parts take one object instead of a dozen settings.
 *
 * @param blockSource the leader's source of blocks, or null when none is configured
 * @param committer where state transfer writes to the ledger
 * @param ordererBackpressure how long a block of the ordering service may wait for room in the
 *     payload buffer
 * @param yieldAfter how long the ordering service may fail before a dynamic leader yields
 */
record NodeServices(
    Comm comm,
    Msp msp,
    String mspId,
    PkiId self,
    Scheduler scheduler,
    Executor committer,
    GossipConfig config,
    MeterRegistry meters,
    WireCodec codec,
    Discovery discovery,
    GossipChannels channels,
    Set<String> ordererMspIds,
    @Nullable BlockSource blockSource,
    Duration ordererBackpressure,
    Duration yieldAfter,
    long incNum,
    NodeEvents events) {

  /**
   * The validated identity of {@code peer}: from the identity store (alive messages, identity
   * pull), else from a live handshake.
   */
  Optional<Identity> identity(PkiId peer) {
    return discovery
        .identities()
        .get(peer)
        .or(() -> comm.connection(peer).map(AuthenticatedPeer::identity));
  }
}
