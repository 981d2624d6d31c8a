package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.tck.ContractRun;

/**
 * The MSP contract can fail: it runs (through JUnit's EngineTestKit) against deliberately broken
 * decorators of the x509 MSP, and exactly the rules each breaks fail while the others pass. An
 * undeclared capability shows as aborted (a failed assumption: skipped), never as passed.
 */
class MspKitCanFailTest {

  @Test
  void anMspWhoseVerifyAcceptsAnythingFailsExactlyTheSignatureRules() {
    ContractRun tests = ContractRun.of(AcceptsAnySignature.class);
    assertThat(tests.failed())
        .containsExactly(
            "required_highSSignatureIsRejected",
            "required_malformedSignatureIsFalseNotAnException",
            "required_signatureByAnotherKeyIsRejected",
            "required_tamperedMessageIsRejected",
            "required_tamperedSignatureIsRejected");
    assertThat(tests.skipped()).isEmpty();
    assertThat(tests.succeeded()).hasSize(14);
  }

  @Test
  void anMspThatIgnoresExpiryFailsExactlyTheExpiryRule() {
    ContractRun tests = ContractRun.of(IgnoresExpiry.class);
    assertThat(tests.failed()).containsExactly("required_expiredIdentityIsRejected");
    assertThat(tests.succeeded()).hasSize(18);
  }

  @Test
  void anMspThatNeverReloadsFailsExactlyTheRevocationRule() {
    ContractRun tests = ContractRun.of(IgnoresReload.class);
    assertThat(tests.failed()).containsExactly("required_revokedIdentityIsRejectedAfterReload");
    assertThat(tests.succeeded()).hasSize(18);
  }

  @Test
  void anUndeclaredCapabilityIsSkippedNotPassed() {
    ContractRun tests = ContractRun.of(ClaimsNoTls.class);
    assertThat(tests.failed()).isEmpty();
    assertThat(tests.skipped()).containsExactly("optional_tlsCredentialsAreConsistent");
  }

  @Test
  void theCorrectMspPassesEveryRule() {
    ContractRun tests = ContractRun.of(X509MspContractTest.class);
    assertThat(tests.failed()).isEmpty();
    assertThat(tests.skipped()).isEmpty();
    assertThat(tests.succeeded()).hasSize(19);
  }

  /** The x509 contract run with one breakage applied to the MSP under test. */
  abstract static class Broken extends X509MspContractTest {
    abstract UnaryOperator<Msp> breakage();

    @Override
    protected Msp newMsp() throws Exception {
      return breakage().apply(super.newMsp());
    }
  }

  /** Identity.verify accepts anything. Nested, so Surefire does not run it directly. */
  static final class AcceptsAnySignature extends Broken {
    @Override
    UnaryOperator<Msp> breakage() {
      return BrokenMsps::acceptingAnySignature;
    }
  }

  /** validate accepts expired identities. */
  static final class IgnoresExpiry extends Broken {
    @Override
    UnaryOperator<Msp> breakage() {
      return BrokenMsps::ignoringExpiry;
    }
  }

  /** reload does nothing. */
  static final class IgnoresReload extends Broken {
    @Override
    UnaryOperator<Msp> breakage() {
      return BrokenMsps::ignoringReload;
    }
  }

  /** The correct MSP, not declaring TLS_CREDENTIALS. */
  static final class ClaimsNoTls extends X509MspContractTest {
    @Override
    protected Set<Capability> capabilities() {
      return EnumSet.noneOf(Capability.class);
    }
  }
}
