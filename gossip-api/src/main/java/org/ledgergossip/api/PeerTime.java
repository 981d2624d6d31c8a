package org.ledgergossip.api;

import com.google.errorprone.annotations.Immutable;

/**
 * Fabric's {@code PeerTime}: the freshness stamp of alive, state-info and leadership messages.
 *
 * <p>{@code incNum} is fixed for the life of a process (Fabric uses the start time in nanoseconds,
 * so a restarted peer has a larger one); {@code seqNum} grows with every message the process sends.
 * Stamps compare lexicographically: first by {@code incNum}, then by {@code seqNum}, both unsigned.
 *
 * @param incNum incarnation number
 * @param seqNum sequence number within the incarnation
 */
@Immutable
public record PeerTime(long incNum, long seqNum) implements Comparable<PeerTime> {

  @Override
  public int compareTo(PeerTime other) {
    int byInc = Long.compareUnsigned(incNum, other.incNum);
    return byInc != 0 ? byInc : Long.compareUnsigned(seqNum, other.seqNum);
  }

  /** True if this stamp is strictly newer than {@code other}. */
  public boolean isNewerThan(PeerTime other) {
    return compareTo(other) > 0;
  }
}
