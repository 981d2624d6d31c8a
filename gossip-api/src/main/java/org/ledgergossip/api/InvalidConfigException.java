package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration was refused. {@link #problems()} lists every problem found, and the message has
 * one line per problem naming the key, the value and why, for example {@code
 * peer.gossip.useLeaderElection and peer.gossip.orgLeader are both true: choose one}.
 */
public final class InvalidConfigException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** Every problem found, in key order; never empty. */
  @SuppressWarnings("serial") // problems are immutable records; not meant for Java serialization
  private final List<Problem> problems;

  /**
   * Creates the exception.
   *
   * @param problems not empty
   */
  public InvalidConfigException(List<Problem> problems) {
    super(
        problems.stream()
            .map(Problem::toString)
            .collect(Collectors.joining(System.lineSeparator())));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in key order. */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * One thing wrong with a configuration.
   *
   * @param keys the keys involved, in the form of {@code core.yaml}; one or more
   * @param value the offending value in textual form (empty when several keys are involved)
   * @param reason why, in words
   */
  public record Problem(List<String> keys, String value, String reason) {

    /** Creates a problem; {@code keys} must not be empty. */
    public Problem {
      keys = List.copyOf(keys);
      requireNonNull(value, "value");
      requireNonNull(reason, "reason");
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("a problem names at least one key");
      }
    }

    /** A problem with one key and its value. */
    public static Problem of(String key, Object value, String reason) {
      return new Problem(List.of(key), GossipConfig.format(value), reason);
    }

    /** {@code key = value: reason}, or {@code k1 and k2 ...: reason} for several keys. */
    @Override
    public String toString() {
      if (keys.size() == 1) {
        return keys.get(0) + " = " + value + ": " + reason;
      }
      return String.join(" and ", keys) + " " + reason;
    }
  }
}
