/**
 * Fabric's leadership messages on the wire: {@link
 * org.ledgergossip.core.internal.election.LeadershipMessages} signs our own and reads and checks
 * those received, for the node layer that connects an election strategy to a channel.
 *
 * <p>Internal: public because the node module uses it, but not part of the API and free to change.
 */
package org.ledgergossip.core.internal.election;
