/**
 * Leader election strategies of the {@link org.ledgergossip.spi.election.ElectionStrategy} SPI:
 * {@code static} ({@link org.ledgergossip.election.StaticElectionProvider}) and {@code dynamic}
 * ({@link org.ledgergossip.election.DynamicElectionProvider}, Fabric's algorithm).
 */
@NullMarked
package org.ledgergossip.election;

import org.jspecify.annotations.NullMarked;
