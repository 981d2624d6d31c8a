package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.transport.Transport;
import org.ledgergossip.spi.transport.TransportOptions;
import org.ledgergossip.spi.transport.TransportProvider;

/**
 * The kit can fail: each contract runs (through JUnit's EngineTestKit) against a deliberately
 * broken implementation, and the rules that implementation breaks fail while the others pass. A
 * missing capability shows as aborted (JUnit's name for a failed assumption: skipped), never
 * passed.
 */
class KitCanFailTest {

  private static final Set<String> ORDER_RULES =
      Set.of(
          "required_framesArriveInOrderOnOneConnection",
          "required_framesFlowBothWays",
          "required_manyConnectionsAreIndependent",
          "required_concurrentSendersKeepTheirOwnOrder",
          "required_framesSentBeforeCloseAreDeliveredFirst",
          // its single follow-up frame waits for a partner that never comes
          "required_oversizeFrameIsRefusedBySender",
          "required_frameUpToTheLimitArrivesIntact");

  private static final Set<String> CLOSE_RULES =
      Set.of(
          "required_closeByClientIsSeenByBoth",
          "required_closeByServerIsSeenByBoth",
          "required_closeIsIdempotentAndSendAfterCloseIsRefused",
          "required_closingTheTransportClosesItsConnections",
          "required_framesSentBeforeCloseAreDeliveredFirst",
          "required_receiverClosesConnectionOnFrameAboveItsLimit");

  @Test
  void aTransportThatReordersFramesFailsExactlyTheOrderingRules() {
    ContractRun tests = ContractRun.of(ReorderingTransportContract.class);
    assertThat(tests.failed()).isEqualTo(new TreeSet<>(ORDER_RULES));
    assertThat(tests.skipped()).containsExactly("optional_peerCertificatesAreExposed");
    assertThat(tests.succeeded()).isNotEmpty();
  }

  @Test
  void aTransportThatHidesRemoteClosesFailsExactlyTheCloseRules() {
    ContractRun tests = ContractRun.of(SilentCloseTransportContract.class);
    assertThat(tests.failed()).isEqualTo(new TreeSet<>(CLOSE_RULES));
    assertThat(tests.skipped()).containsExactly("optional_peerCertificatesAreExposed");
  }

  @Test
  void anUnregisteredProviderFailsTheServiceLoaderRules() {
    ContractRun tests = ContractRun.of(UnregisteredProviderContract.class);
    assertThat(tests.failed())
        .containsExactlyInAnyOrder(
            "required_providerIsFoundByNameThroughServiceLoader",
            "required_nameIsUniqueAmongProviders",
            "required_availabilityIsAnsweredWithoutThrowing",
            "required_nameIsWellFormed");
  }

  @Test
  void theCorrectTransportPassesEverythingThatItClaims() {
    ContractRun tests = ContractRun.of(InMemoryTransportContractTest.class);
    assertThat(tests.failed()).isEmpty();
    assertThat(tests.skipped()).containsExactly("optional_peerCertificatesAreExposed");
  }

  /** The in-memory transport's contract run, with one breakage applied to every transport. */
  abstract static class BrokenInMemoryContract extends InMemoryTransportContractTest {

    abstract UnaryOperator<Transport> breakage();

    @Override
    protected Transport newTransport(TransportOptions options) {
      return breakage().apply(super.newTransport(options));
    }

    /** Short waits: the failures are expected, and each costs one timeout. */
    @Override
    protected Duration timeout() {
      return Duration.ofSeconds(2);
    }
  }

  /** Reorders frames. Not run by Surefire directly (nested); run by the tests above. */
  static final class ReorderingTransportContract extends BrokenInMemoryContract {
    @Override
    UnaryOperator<Transport> breakage() {
      return DecoratedTransport.with(DecoratedTransport.reorderingFrames());
    }
  }

  /** Never reports a close by the remote side. */
  static final class SilentCloseTransportContract extends BrokenInMemoryContract {
    @Override
    UnaryOperator<Transport> breakage() {
      return DecoratedTransport.with(DecoratedTransport.silentRemoteClose());
    }
  }

  /** A provider with a bad name that is not registered with the service loader. */
  static final class UnregisteredProvider implements TransportProvider {
    @Override
    public String name() {
      return "Not_Registered";
    }

    @Override
    public int priority() {
      return 0;
    }

    @Override
    public Transport create(TransportOptions options) {
      throw new IllegalStateException("never created");
    }
  }

  /** The provider contract run on the unregistered provider. */
  static final class UnregisteredProviderContract extends ProviderContract<TransportProvider> {
    @Override
    protected Class<TransportProvider> spi() {
      return TransportProvider.class;
    }

    @Override
    protected String expectedName() {
      return "Not_Registered";
    }

    @Override
    protected Class<? extends TransportProvider> implementation() {
      return UnregisteredProvider.class;
    }
  }
}
