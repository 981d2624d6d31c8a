package org.ledgergossip.core.internal.pull;

import java.util.List;

/** A pull message one engine's adapter sent, as the tests see it. */
record PullMessage(Kind kind, String from, String to, List<String> items, long nonce) {

  enum Kind {
    HELLO,
    DIGEST,
    REQUEST,
    RESPONSE
  }

  PullMessage {
    items = List.copyOf(items);
  }
}
