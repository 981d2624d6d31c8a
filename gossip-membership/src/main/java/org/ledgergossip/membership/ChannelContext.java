package org.ledgergossip.membership;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.ledgergossip.api.GossipConfig;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.channel.ChannelRouter;
import org.ledgergossip.core.internal.comm.Comm;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.Msp;

/**
 * What every {@link GossipChannel} of one peer shares, handed down by {@link GossipChannels}.
 *
 * @param self our PKI-ID
 * @param selfOrg our MSP id
 * @param selfExternal whether we have an external endpoint (our state info may leave our org)
 * @param random shared; synchronise on it
 * @param seq the {@code seq_num} of our state infos, shared so that a re-join publishes newer ones
 * @param incNum the {@code inc_num} of our state infos
 * @param maxStateInfos the bound of each channel's state-info store
 */
record ChannelContext(
    Comm comm,
    Msp msp,
    PkiId self,
    String selfOrg,
    boolean selfExternal,
    MembershipView view,
    Scheduler scheduler,
    GossipConfig config,
    MeterRegistry registry,
    WireCodec codec,
    Function<PkiId, Optional<Identity>> identities,
    RandomGenerator random,
    AtomicLong seq,
    long incNum,
    ChannelRejections rejections,
    ChannelRouter router,
    int maxStateInfos) {}
