package org.ledgergossip.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ledgergossip.api.InvalidConfigException.Problem;

/** The validation rules of {@link GossipConfig}: the one place they live. */
final class ConfigRules {

  private static final String MUST_BE_POSITIVE =
      "must be positive (Fabric reads 0 as \"use the default\"; leave the key out for that)";

  private ConfigRules() {}

  static List<Problem> check(Map<GossipKey, Object> values) {
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<GossipKey, Object> e : values.entrySet()) {
      GossipKey key = e.getKey();
      Object value = e.getValue();
      boolean notPositive =
          (value instanceof Duration d && (d.isNegative() || d.isZero()))
              || (value instanceof Integer i && i <= 0);
      if (notPositive) {
        problems.add(Problem.of(key.key(), value, MUST_BE_POSITIVE));
      } else if (value instanceof Optional<?> o
          && o.isPresent()
          && o.get() instanceof Endpoint ep
          && ep.port() == 0) {
        problems.add(Problem.of(key.key(), value, "an advertised endpoint needs a real port"));
      }
    }
    if (is(values, GossipKey.USE_LEADER_ELECTION) && is(values, GossipKey.ORG_LEADER)) {
      problems.add(
          new Problem(
              List.of(GossipKey.USE_LEADER_ELECTION.key(), GossipKey.ORG_LEADER.key()),
              "",
              "are both true: choose one"));
    }
    Duration alive = duration(values, GossipKey.ALIVE_TIME_INTERVAL);
    Duration expiration = duration(values, GossipKey.ALIVE_EXPIRATION_TIMEOUT);
    if (positive(alive) && positive(expiration) && expiration.compareTo(alive) <= 0) {
      problems.add(
          Problem.of(
              GossipKey.ALIVE_EXPIRATION_TIMEOUT.key(),
              expiration,
              "must be longer than "
                  + GossipKey.ALIVE_TIME_INTERVAL.key()
                  + " ("
                  + Durations.format(alive)
                  + "), or every peer is declared dead between two heartbeats"));
    }
    Duration pull = duration(values, GossipKey.PULL_INTERVAL);
    Duration digest = duration(values, GossipKey.DIGEST_WAIT_TIME);
    if (positive(pull) && positive(digest) && digest.compareTo(pull) >= 0) {
      problems.add(
          Problem.of(
              GossipKey.DIGEST_WAIT_TIME.key(),
              digest,
              "must be shorter than "
                  + GossipKey.PULL_INTERVAL.key()
                  + " ("
                  + Durations.format(pull)
                  + "), or pull rounds overlap"));
    }
    problems.sort(
        (a, b) -> {
          int ka = GossipKey.byKey(a.keys().get(0)).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
          int kb = GossipKey.byKey(b.keys().get(0)).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
          return Integer.compare(ka, kb);
        });
    return problems;
  }

  static List<String> warnings(Map<GossipKey, Object> values) {
    List<String> warnings = new ArrayList<>();
    if (!is(values, GossipKey.USE_LEADER_ELECTION) && !is(values, GossipKey.ORG_LEADER)) {
      warnings.add(
          GossipKey.USE_LEADER_ELECTION.key()
              + " and "
              + GossipKey.ORG_LEADER.key()
              + " are both false: this peer never pulls blocks from the ordering service and"
              + " relies on another peer of its organisation to do it");
    }
    return warnings;
  }

  private static boolean is(Map<GossipKey, Object> values, GossipKey key) {
    return Boolean.TRUE.equals(values.get(key));
  }

  private static Duration duration(Map<GossipKey, Object> values, GossipKey key) {
    return (Duration) values.get(key);
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }
}
