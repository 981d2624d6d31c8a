package org.ledgergossip.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ledgergossip.membership.DisclosurePolicy.Disclosure.DISCLOSE;
import static org.ledgergossip.membership.DisclosurePolicy.Disclosure.DISCLOSE_WITHOUT_SECRET;
import static org.ledgergossip.membership.DisclosurePolicy.Disclosure.WITHHOLD;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.SecretEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.Endpoint;
import org.ledgergossip.api.Member;
import org.ledgergossip.api.PeerTime;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.membership.DisclosurePolicy.Disclosure;

/**
 * Fabric's disclosure rule, for this peer of organisation {@code A}: the full truth table over the
 * organisation of the peer X the alive message is about, the organisation of the remote peer R and
 * whether each has an external endpoint.
 */
class DisclosurePolicyTest {

  private static final String SELF = "A";

  @ParameterizedTest(name = "X of {0} (external {1}) to R of {2} (external {3}) -> {4}")
  @CsvSource({
    // R in my org: only my org's peers, secret kept, endpoints irrelevant.
    "A, true,  A, true,  DISCLOSE",
    "A, true,  A, false, DISCLOSE",
    "A, false, A, true,  DISCLOSE",
    "A, false, A, false, DISCLOSE",
    "B, true,  A, true,  WITHHOLD",
    "B, true,  A, false, WITHHOLD",
    "B, false, A, true,  WITHHOLD",
    "B, false, A, false, WITHHOLD",
    "C, true,  A, true,  WITHHOLD",
    "C, true,  A, false, WITHHOLD",
    "C, false, A, true,  WITHHOLD",
    "C, false, A, false, WITHHOLD",
    // R in foreign org B: my peers only if both external; B's own peers always; never C's.
    "A, true,  B, true,  DISCLOSE_WITHOUT_SECRET",
    "A, true,  B, false, WITHHOLD",
    "A, false, B, true,  WITHHOLD",
    "A, false, B, false, WITHHOLD",
    "B, true,  B, true,  DISCLOSE_WITHOUT_SECRET",
    "B, true,  B, false, DISCLOSE_WITHOUT_SECRET",
    "B, false, B, true,  DISCLOSE_WITHOUT_SECRET",
    "B, false, B, false, DISCLOSE_WITHOUT_SECRET",
    "C, true,  B, true,  WITHHOLD",
    "C, true,  B, false, WITHHOLD",
    "C, false, B, true,  WITHHOLD",
    "C, false, B, false, WITHHOLD",
    // R in foreign org C: the mirror image.
    "A, true,  C, true,  DISCLOSE_WITHOUT_SECRET",
    "A, true,  C, false, WITHHOLD",
    "A, false, C, true,  WITHHOLD",
    "A, false, C, false, WITHHOLD",
    "B, true,  C, true,  WITHHOLD",
    "B, true,  C, false, WITHHOLD",
    "B, false, C, true,  WITHHOLD",
    "B, false, C, false, WITHHOLD",
    "C, true,  C, true,  DISCLOSE_WITHOUT_SECRET",
    "C, true,  C, false, DISCLOSE_WITHOUT_SECRET",
    "C, false, C, true,  DISCLOSE_WITHOUT_SECRET",
    "C, false, C, false, DISCLOSE_WITHOUT_SECRET",
    // Unknown organisation (empty): withheld.
    "'',  true, A,  true, WITHHOLD",
    "'',  true, B,  true, WITHHOLD",
    "A,   true, '', true, WITHHOLD",
    "B,   true, '', true, WITHHOLD",
  })
  void truthTable(
      String aboutOrg,
      boolean aboutExternal,
      String remoteOrg,
      boolean remoteExternal,
      Disclosure expected) {
    assertThat(DisclosurePolicy.decide(SELF, aboutOrg, aboutExternal, remoteOrg, remoteExternal))
        .isEqualTo(expected);
    if (!aboutOrg.isEmpty() && !remoteOrg.isEmpty()) {
      assertThat(
              DisclosurePolicy.decide(
                  SELF, member(aboutOrg, aboutExternal), member(remoteOrg, remoteExternal)))
          .as("the Member overload agrees")
          .isEqualTo(expected);
    }
    assertThat(expected.mayDisclose()).isEqualTo(expected != WITHHOLD);
  }

  @ParameterizedTest(name = "push X of {0} (external {1}) to R of {2} (external {3}) -> {4}")
  @CsvSource({
    // X in my org: to my org with the secret; to a foreign peer only if both are external.
    "A, true,  A, true,  DISCLOSE",
    "A, false, A, false, DISCLOSE",
    "A, true,  B, true,  DISCLOSE_WITHOUT_SECRET",
    "A, true,  B, false, WITHHOLD",
    "A, false, B, true,  WITHHOLD",
    // X in foreign org B: to my org's external peers (unlike responses), and back to B's.
    "B, true,  A, true,  DISCLOSE",
    "B, true,  A, false, WITHHOLD",
    "B, false, A, true,  WITHHOLD",
    "B, true,  B, true,  DISCLOSE_WITHOUT_SECRET",
    "B, true,  B, false, WITHHOLD",
    "B, false, B, true,  WITHHOLD",
    // Never to a third organisation.
    "B, true,  C, true,  WITHHOLD",
    "C, true,  B, true,  WITHHOLD",
    // Unknown organisation (empty): withheld.
    "'', true, A,  true, WITHHOLD",
    "A,  true, '', true, WITHHOLD",
  })
  void pushTruthTable(
      String aboutOrg,
      boolean aboutExternal,
      String remoteOrg,
      boolean remoteExternal,
      Disclosure expected) {
    assertThat(
            DisclosurePolicy.decideForward(
                SELF, aboutOrg, aboutExternal, remoteOrg, remoteExternal))
        .isEqualTo(expected);
  }

  @Test
  void pushNeverDisclosesMoreThanTheResponsePolicyExceptForeignPeersToMyOrg() {
    for (String about : List.of("A", "B", "C")) {
      for (String remote : List.of("A", "B", "C")) {
        for (boolean x : List.of(true, false)) {
          for (boolean r : List.of(true, false)) {
            Disclosure push = DisclosurePolicy.decideForward(SELF, about, x, remote, r);
            Disclosure response = DisclosurePolicy.decide(SELF, about, x, remote, r);
            if (push.mayDisclose() && !response.mayDisclose()) {
              assertThat(remote).as("%s %s %s %s", about, x, remote, r).isEqualTo(SELF);
              assertThat(x && r).isTrue();
            }
            if (push.mayDisclose() && !remote.equals(SELF)) {
              assertThat(push).isEqualTo(DISCLOSE_WITHOUT_SECRET);
            }
          }
        }
      }
    }
  }

  @Test
  void secretIsStrippedExactlyForRemotePeersOutsideMyOrg() {
    assertThat(DisclosurePolicy.mustStripSecret(SELF, "A")).isFalse();
    assertThat(DisclosurePolicy.mustStripSecret(SELF, "B")).isTrue();
    for (String about : List.of("A", "B", "C")) {
      for (String remote : List.of("A", "B", "C")) {
        for (boolean x : List.of(true, false)) {
          for (boolean r : List.of(true, false)) {
            Disclosure d = DisclosurePolicy.decide(SELF, about, x, remote, r);
            assertThat(d == DISCLOSE)
                .as("%s->%s", about, remote)
                .isEqualTo(d.mayDisclose() && remote.equals(SELF));
            if (!about.equals(SELF) && !about.equals(remote)) {
              assertThat(d).as("a third org's peer is never told").isEqualTo(WITHHOLD);
            }
          }
        }
      }
    }
  }

  @Test
  void applyWithholdsStripsOrKeepsTheEnvelope() {
    Envelope envelope =
        Envelope.newBuilder()
            .setPayload(ByteString.copyFromUtf8("payload"))
            .setSignature(ByteString.copyFromUtf8("signature"))
            .setSecretEnvelope(
                SecretEnvelope.newBuilder()
                    .setPayload(ByteString.copyFromUtf8("secret"))
                    .setSignature(ByteString.copyFromUtf8("secret signature")))
            .build();

    assertThat(DisclosurePolicy.apply(WITHHOLD, envelope)).isEmpty();
    assertThat(DisclosurePolicy.apply(DISCLOSE, envelope)).contains(envelope);
    Envelope stripped = DisclosurePolicy.apply(DISCLOSE_WITHOUT_SECRET, envelope).orElseThrow();
    assertThat(stripped.hasSecretEnvelope()).isFalse();
    assertThat(stripped.getPayload()).isEqualTo(envelope.getPayload());
    assertThat(stripped.getSignature()).isEqualTo(envelope.getSignature());
  }

  private static Member member(String org, boolean external) {
    return new Member(
        PkiId.of(new byte[] {(byte) org.charAt(0)}),
        org,
        external
            ? Optional.of(new Endpoint(org.toLowerCase(java.util.Locale.ROOT), 7051))
            : Optional.empty(),
        Optional.empty(),
        Bytes.EMPTY,
        new PeerTime(1, 1));
  }
}
