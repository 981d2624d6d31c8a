package org.ledgergossip.core.internal.pull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ledgergossip.core.internal.pull.PullMessage.Kind;

/** An adapter that sends nothing and records everything, for driving one engine by hand. */
final class RecordingAdapter implements PullAdapter<String> {

  private final String self;
  private final List<String> peers;
  final List<PullMessage> sent = new ArrayList<>();

  RecordingAdapter(String self, List<String> peers) {
    this.self = self;
    this.peers = List.copyOf(peers);
  }

  @Override
  public List<String> selectPeers() {
    return peers;
  }

  @Override
  public void hello(String dest, long nonce) {
    sent.add(new PullMessage(Kind.HELLO, self, dest, List.of(), nonce));
  }

  @Override
  public void sendDigest(String dest, List<String> digests, long nonce) {
    sent.add(new PullMessage(Kind.DIGEST, self, dest, digests, nonce));
  }

  @Override
  public void sendRequest(String dest, List<String> items, long nonce) {
    sent.add(new PullMessage(Kind.REQUEST, self, dest, items, nonce));
  }

  @Override
  public void sendResponse(String dest, List<String> items, long nonce) {
    sent.add(new PullMessage(Kind.RESPONSE, self, dest, items, nonce));
  }

  List<PullMessage> sent(Kind kind) {
    return sent.stream().filter(m -> m.kind() == kind).toList();
  }

  List<PullMessage> sent(Kind kind, String to) {
    Predicate<PullMessage> match = m -> m.kind() == kind && m.to().equals(to);
    return sent.stream().filter(match).toList();
  }

  /** The nonce of the only hello sent to {@code to}. */
  long helloNonce(String to) {
    List<PullMessage> hellos = sent(Kind.HELLO, to);
    if (hellos.size() != 1) {
      throw new AssertionError("expected one hello to " + to + ", sent " + hellos);
    }
    return hellos.get(0).nonce();
  }
}
