package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.Immutable;

/**
 * A {@code host:port} address as Fabric writes it in {@code peer.address}, {@code
 * peer.gossip.endpoint}, {@code peer.gossip.externalEndpoint} and {@code peer.gossip.bootstrap}.
 *
 * <p>The host is a DNS name, an IPv4 address, an IPv6 address (written in brackets in the string
 * form) or, for the in-memory transport, any name without whitespace. Port 0 means "any free port"
 * when listening.
 *
 * @param host host name or address, without brackets, non-empty, no whitespace
 * @param port 0..65535
 */
@Immutable
public record Endpoint(String host, int port) {

  /**
   * @throws IllegalArgumentException if the host is empty or has whitespace, or the port is out of
   *     range
   */
  public Endpoint {
    requireNonNull(host, "host");
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("invalid host '" + host + "': empty or has whitespace");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid port " + port + " for host " + host);
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException with the offending text if it is not of that form
   */
  public static Endpoint parse(String text) {
    requireNonNull(text, "text");
    String s = text.trim();
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("invalid endpoint '" + text + "': expected [ipv6]:port");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("invalid endpoint '" + text + "': expected host:port");
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid endpoint '" + text + "': port '" + port + "' is not a number", e);
    }
    return new Endpoint(host, number);
  }

  /** {@code host:port}, with brackets around an IPv6 host: the form {@link #parse} reads. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
