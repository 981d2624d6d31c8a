/**
 * The {@code inmemory} transport: an {@link org.ledgergossip.transport.inmemory.InMemoryNetwork} of
 * transports inside one JVM with fault injection (loss, delay, partitions, kills), and a {@link
 * org.ledgergossip.transport.inmemory.VirtualScheduler} that runs it, and every component on it, in
 * deterministic virtual time. For tests and simulations; never chosen unless named.
 */
package org.ledgergossip.transport.inmemory;
