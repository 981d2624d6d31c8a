package example.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ledgergossip.tck.ContractRun;

/**
 * Runs the kit's contracts on the {@code sqlite} store through {@link ContractRun}, as a plugin
 * author shows a reviewer the result: no rule fails, and the report (every rule with required or
 * optional and passed, failed or skipped) is written to {@code target/tck-report.txt}.
 */
class TckReportTest {

  @Test
  void theSqliteStorePassesEveryRuleItClaimsAndTheReportIsWritten() throws Exception {
    // tag::report[]
    ContractRun provider = ContractRun.of(SqliteProviderContractTest.class);
    ContractRun ledger = ContractRun.of(SqliteLedgerContractTest.class);
    ContractRun network = ContractRun.of(SqliteLedgerNetworkTest.class);
    String report = provider.report() + "\n\n" + ledger.report() + "\n\n" + network.report() + "\n";
    Path file = Path.of("target", "tck-report.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    System.out.println(report);

    assertThat(provider.failed()).as(report).isEmpty();
    assertThat(ledger.failed()).as(report).isEmpty();
    assertThat(network.failed()).as(report).isEmpty();
    // end::report[]
    assertThat(provider.skipped()).as(report).isEmpty();
    assertThat(ledger.skipped())
        .as("only the torn-tail rule is skipped: SQLite commits atomically")
        .containsExactly("required_tornTailIsDroppedOnReopenAndTheRestKept");
    assertThat(network.skipped()).as(report).isEmpty();
    assertThat(network.succeeded()).as(report).hasSize(4);
  }
}
