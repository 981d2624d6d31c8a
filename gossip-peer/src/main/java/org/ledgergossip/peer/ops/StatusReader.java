package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code GET /status} JSON of a peer read back into values, for {@code gossip status}, the demo
 * and tests. Field names are those of {@code OPERATIONS.md}; unknown fields are ignored, so a newer
 * peer's answer still reads.
 *
 * <p>Immutable and thread-safe. {@link #parse} throws {@link IllegalArgumentException} naming the
 * offending field when the text is not JSON or a field is missing or of the wrong type.
 */
public final class StatusReader {

  /** The {@code peer} object. */
  public record Peer(
      String id,
      String mspId,
      String pkiId,
      String endpoint,
      @Nullable String externalEndpoint,
      long incNum,
      String startedAt) {}

  /** An entry of {@code membership.alive}; {@code endpoint} is null when none is known. */
  public record AliveMember(
      String pkiId,
      @Nullable String endpoint,
      String mspId,
      long incNum,
      long seqNum,
      long lastSeenMs) {}

  /** An entry of {@code membership.dead}; {@code endpoint} is null when none is known. */
  public record DeadMember(
      String pkiId, @Nullable String endpoint, String mspId, long incNum, long deadForMs) {}

  /** An entry of a channel's {@code members}. */
  public record ChannelMember(String pkiId, long height, boolean left) {}

  /** An entry of {@code channels}; {@code leader} is the hex PKI-ID of the known leader or null. */
  public record Channel(
      String name,
      long height,
      boolean isLeader,
      @Nullable String leader,
      List<ChannelMember> members,
      long byPush,
      long byPull,
      long byStateTransfer,
      long fromOrderer) {

    /** Copies {@code members}. */
    public Channel {
      members = List.copyOf(members);
    }
  }

  private final Peer peer;
  private final List<AliveMember> alive;
  private final List<DeadMember> dead;
  private final List<Channel> channels;
  private final Map<String, Long> rejected;

  private StatusReader(
      Peer peer,
      List<AliveMember> alive,
      List<DeadMember> dead,
      List<Channel> channels,
      Map<String, Long> rejected) {
    this.peer = peer;
    this.alive = List.copyOf(alive);
    this.dead = List.copyOf(dead);
    this.channels = List.copyOf(channels);
    this.rejected = Map.copyOf(rejected);
  }

  /**
   * Reads {@code json}.
   *
   * @throws IllegalArgumentException if it is not a {@code /status} answer
   */
  public static StatusReader parse(String json) {
    requireNonNull(json, "json");
    Map<String, @Nullable Object> root = asObject(JsonParser.parse(json), "$");
    Map<String, @Nullable Object> p = object(root, "peer", "$");
    Peer peer =
        new Peer(
            string(p, "id", "peer"),
            string(p, "mspId", "peer"),
            string(p, "pkiId", "peer"),
            string(p, "endpoint", "peer"),
            nullableString(p, "externalEndpoint", "peer"),
            number(p, "incNum", "peer"),
            string(p, "startedAt", "peer"));

    Map<String, @Nullable Object> membership = object(root, "membership", "$");
    List<AliveMember> alive = new ArrayList<>();
    int i = 0;
    for (Object o : array(membership, "alive", "membership")) {
      String path = "membership.alive[" + i++ + "]";
      Map<String, @Nullable Object> m = asObject(o, path);
      alive.add(
          new AliveMember(
              string(m, "pkiId", path),
              nullableString(m, "endpoint", path),
              string(m, "mspId", path),
              number(m, "incNum", path),
              number(m, "seqNum", path),
              number(m, "lastSeenMs", path)));
    }
    List<DeadMember> dead = new ArrayList<>();
    i = 0;
    for (Object o : array(membership, "dead", "membership")) {
      String path = "membership.dead[" + i++ + "]";
      Map<String, @Nullable Object> m = asObject(o, path);
      dead.add(
          new DeadMember(
              string(m, "pkiId", path),
              nullableString(m, "endpoint", path),
              string(m, "mspId", path),
              number(m, "incNum", path),
              number(m, "deadForMs", path)));
    }

    List<Channel> channels = new ArrayList<>();
    i = 0;
    for (Object o : array(root, "channels", "$")) {
      String path = "channels[" + i++ + "]";
      Map<String, @Nullable Object> c = asObject(o, path);
      List<ChannelMember> members = new ArrayList<>();
      int j = 0;
      for (Object mo : array(c, "members", path)) {
        String mpath = path + ".members[" + j++ + "]";
        Map<String, @Nullable Object> m = asObject(mo, mpath);
        members.add(
            new ChannelMember(
                string(m, "pkiId", mpath), number(m, "height", mpath), bool(m, "left", mpath)));
      }
      Map<String, @Nullable Object> blocks = object(c, "blocks", path);
      String bpath = path + ".blocks";
      channels.add(
          new Channel(
              string(c, "name", path),
              number(c, "height", path),
              bool(c, "isLeader", path),
              nullableString(c, "leader", path),
              members,
              number(blocks, "byPush", bpath),
              number(blocks, "byPull", bpath),
              number(blocks, "byStateTransfer", bpath),
              number(blocks, "fromOrderer", bpath)));
    }

    Map<String, Long> rejected = new TreeMap<>();
    Map<String, @Nullable Object> r = object(root, "rejected", "$");
    for (String reason : r.keySet()) {
      rejected.put(reason, number(r, reason, "rejected"));
    }
    return new StatusReader(peer, alive, dead, channels, rejected);
  }

  /** The {@code peer} object. */
  public Peer peer() {
    return peer;
  }

  /** {@code membership.alive}: the peers alive in this peer's view (never itself). */
  public List<AliveMember> alive() {
    return alive;
  }

  /** {@code membership.dead}. */
  public List<DeadMember> dead() {
    return dead;
  }

  /** {@code channels}, in the peer's order. */
  public List<Channel> channels() {
    return channels;
  }

  /** The channel named {@code name}, if the peer joined it. */
  public Optional<Channel> channel(String name) {
    requireNonNull(name, "name");
    return channels.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** {@code rejected}: counts by reason. */
  public Map<String, Long> rejected() {
    return rejected;
  }

  @Override
  public String toString() {
    return "StatusReader["
        + peer.id()
        + ", alive "
        + alive.size()
        + ", dead "
        + dead.size()
        + ", channels "
        + channels.size()
        + "]";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> asObject(@Nullable Object value, String path) {
    if (value instanceof Map<?, ?>) {
      return (Map<String, @Nullable Object>) value;
    }
    throw wrongType(path, "an object", value);
  }

  private static Map<String, @Nullable Object> object(
      Map<String, @Nullable Object> parent, String key, String path) {
    return asObject(present(parent, key, path), join(path, key));
  }

  private static List<?> array(Map<String, @Nullable Object> parent, String key, String path) {
    Object value = present(parent, key, path);
    if (value instanceof List<?> list) {
      return list;
    }
    throw wrongType(join(path, key), "an array", value);
  }

  private static String string(Map<String, @Nullable Object> parent, String key, String path) {
    Object value = present(parent, key, path);
    if (value instanceof String s) {
      return s;
    }
    throw wrongType(join(path, key), "a string", value);
  }

  private static @Nullable String nullableString(
      Map<String, @Nullable Object> parent, String key, String path) {
    Object value = parent.get(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(join(path, key), "a string or null", value);
  }

  private static long number(Map<String, @Nullable Object> parent, String key, String path) {
    Object value = present(parent, key, path);
    if (value instanceof Long l) {
      return l;
    }
    throw wrongType(join(path, key), "an integer", value);
  }

  private static boolean bool(Map<String, @Nullable Object> parent, String key, String path) {
    Object value = present(parent, key, path);
    if (value instanceof Boolean b) {
      return b;
    }
    throw wrongType(join(path, key), "true or false", value);
  }

  private static Object present(Map<String, @Nullable Object> parent, String key, String path) {
    Object value = parent.get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "not a /status answer: " + join(path, key) + " is missing or null");
    }
    return value;
  }

  private static String join(String path, String key) {
    return path.equals("$") ? key : path + "." + key;
  }

  private static IllegalArgumentException wrongType(
      String path, String expected, @Nullable Object value) {
    String got =
        value == null ? "null" : value instanceof String ? "a string" : value.getClass().getName();
    return new IllegalArgumentException(
        "not a /status answer: " + path + " should be " + expected + ", got " + got);
  }
}
