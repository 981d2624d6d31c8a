package org.ledgergossip.msp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.ledgergossip.spi.msp.Msp;

/**
 * The MSP contract can fail: it runs (through JUnit's EngineTestKit) against deliberately broken
 * decorators of the x509 MSP, and exactly the rules each breaks fail while the others pass. An
 * undeclared capability shows as aborted (a failed assumption: skipped), never as passed.
 */
class MspKitCanFailTest {

  @Test
  void anMspWhoseVerifyAcceptsAnythingFailsExactlyTheSignatureRules() {
    Events tests = run(AcceptsAnySignature.class);
    assertThat(names(tests.failed()))
        .containsExactly(
            "required_highSSignatureIsRejected",
            "required_malformedSignatureIsFalseNotAnException",
            "required_signatureByAnotherKeyIsRejected",
            "required_tamperedMessageIsRejected",
            "required_tamperedSignatureIsRejected");
    assertThat(tests.aborted().count()).isZero();
    assertThat(tests.succeeded().count()).isEqualTo(14);
  }

  @Test
  void anMspThatIgnoresExpiryFailsExactlyTheExpiryRule() {
    Events tests = run(IgnoresExpiry.class);
    assertThat(names(tests.failed())).containsExactly("required_expiredIdentityIsRejected");
    assertThat(tests.succeeded().count()).isEqualTo(18);
  }

  @Test
  void anMspThatNeverReloadsFailsExactlyTheRevocationRule() {
    Events tests = run(IgnoresReload.class);
    assertThat(names(tests.failed()))
        .containsExactly("required_revokedIdentityIsRejectedAfterReload");
    assertThat(tests.succeeded().count()).isEqualTo(18);
  }

  @Test
  void anUndeclaredCapabilityIsSkippedNotPassed() {
    Events tests = run(ClaimsNoTls.class);
    assertThat(tests.failed().count()).isZero();
    assertThat(names(tests.aborted())).containsExactly("optional_tlsCredentialsAreConsistent");
  }

  @Test
  void theCorrectMspPassesEveryRule() {
    Events tests = run(X509MspContractTest.class);
    assertThat(tests.failed().count()).isZero();
    assertThat(tests.aborted().count()).isZero();
    assertThat(tests.succeeded().count()).isEqualTo(19);
  }

  private static Events run(Class<?> contract) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(contract))
        .execute()
        .testEvents();
  }

  private static Set<String> names(Events events) {
    TreeSet<String> out = new TreeSet<>();
    events.stream()
        .map(Event::getTestDescriptor)
        .forEach(
            d ->
                d.getSource()
                    .filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getMethodName())
                    .ifPresent(out::add));
    return out;
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
