package example.broken;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.ledgergossip.tck.ContractRun;

/**
 * The proof that the kit catches what it claims to: the {@link
 * org.ledgergossip.tck.TransportContract} run on each deliberately broken transport fails on
 * exactly the rules that transport breaks, and on no other; on the unbroken {@code inmemory}
 * transport the same harness fails nothing. The reports go to {@code target/tck-report.txt}.
 */
class BrokenTransportKitTest {

  /** The rules that promise order: a transport that reorders frames must fail these, only these. */
  static final Set<String> ORDER_RULES =
      Set.of(
          "required_framesArriveInOrderOnOneConnection",
          "required_framesFlowBothWays",
          "required_manyConnectionsAreIndependent",
          "required_concurrentSendersKeepTheirOwnOrder",
          "required_framesSentBeforeCloseAreDeliveredFirst");

  /** The rules that wait for a close to be reported: a silent transport must fail these, only. */
  static final Set<String> CLOSE_RULES =
      Set.of(
          "required_closeByClientIsSeenByBoth",
          "required_closeByServerIsSeenByBoth",
          "required_closeIsIdempotentAndSendAfterCloseIsRefused",
          "required_closingTheTransportClosesItsConnections",
          "required_framesSentBeforeCloseAreDeliveredFirst",
          "required_receiverClosesConnectionOnFrameAboveItsLimit");

  private static final StringBuilder REPORT = new StringBuilder();

  @AfterAll
  static void writeReport() throws Exception {
    Path file = Path.of("target", "tck-report.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, REPORT.toString());
  }

  private static ContractRun run(Class<?> contract) {
    ContractRun run = ContractRun.of(contract);
    synchronized (REPORT) {
      REPORT.append(run.report()).append("\n\n");
    }
    System.out.println(run.report());
    return run;
  }

  @Test
  void aTransportThatReordersFramesFailsExactlyTheOrderingRules() {
    ContractRun run = run(ReorderingTransportContract.class);
    assertThat(run.failed()).as(run.report()).isEqualTo(new TreeSet<>(ORDER_RULES));
    assertThat(run.skipped()).containsExactly("optional_peerCertificatesAreExposed");
  }

  @Test
  void aTransportThatNeverReportsACloseFailsExactlyTheCloseRules() {
    ContractRun run = run(SilentCloseTransportContract.class);
    assertThat(run.failed()).as(run.report()).isEqualTo(new TreeSet<>(CLOSE_RULES));
    assertThat(run.skipped()).containsExactly("optional_peerCertificatesAreExposed");
  }

  @Test
  void theSameHarnessOnTheUnbrokenTransportFailsNothing() {
    ContractRun run = run(InMemoryTransportContract.class);
    assertThat(run.failed()).as(run.report()).isEmpty();
    assertThat(run.skipped()).containsExactly("optional_peerCertificatesAreExposed");
    Set<String> broken = new TreeSet<>(ORDER_RULES);
    broken.addAll(CLOSE_RULES);
    assertThat(run.succeeded()).as("every rule a broken transport fails").containsAll(broken);
  }
}
