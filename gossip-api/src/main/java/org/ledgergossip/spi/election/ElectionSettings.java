package org.ledgergossip.spi.election;

import java.time.Duration;

/**
 * The election keys of {@code peer.gossip}, validated ({@code useLeaderElection} and {@code
 * orgLeader} are never both true).
 *
 * @param useLeaderElection {@code peer.gossip.useLeaderElection}
 * @param orgLeader {@code peer.gossip.orgLeader}
 * @param startupGracePeriod {@code peer.gossip.election.startupGracePeriod}
 * @param membershipSampleInterval {@code peer.gossip.election.membershipSampleInterval}
 * @param leaderAliveThreshold {@code peer.gossip.election.leaderAliveThreshold}
 * @param leaderElectionDuration {@code peer.gossip.election.leaderElectionDuration}
 */
public record ElectionSettings(
    boolean useLeaderElection,
    boolean orgLeader,
    Duration startupGracePeriod,
    Duration membershipSampleInterval,
    Duration leaderAliveThreshold,
    Duration leaderElectionDuration) {}
