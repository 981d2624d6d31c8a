package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.tck.ListLedgerStore.Breakage;

/**
 * The ledger contract can fail: run (through JUnit's EngineTestKit) against deliberately broken
 * stores, exactly the rules each breaks fail; the correct store passes everything it claims, and
 * the torn-tail rule it has no hook for shows as skipped, never passed.
 */
class LedgerKitCanFailTest {

  private static final String TORN_TAIL = "required_tornTailIsDroppedOnReopenAndTheRestKept";

  @Test
  void theCorrectStorePassesAndSkipsTheTornTailRuleItHasNoHookFor() {
    ContractRun run = ContractRun.of(CorrectListLedgerContract.class);
    assertThat(run.failed()).as(run.report()).isEmpty();
    assertThat(run.skipped()).containsExactly(TORN_TAIL);
    assertThat(run.succeeded()).hasSize(8);
  }

  @Test
  void aStoreThatAcceptsAGapFailsTheAppendAtHeightRules() {
    ContractRun run = ContractRun.of(GapAcceptingLedgerContract.class);
    assertThat(run.failed())
        .as(run.report())
        .containsExactlyInAnyOrder("required_appendOnlyAtHeight", "required_reopenKeepsEveryBlock");
    assertThat(run.skipped()).containsExactly(TORN_TAIL);
  }

  @Test
  void aStoreThatLosesItsLastBlockOnReopenFailsTheReopenRules() {
    ContractRun run = ContractRun.of(ForgetfulLedgerContract.class);
    assertThat(run.failed())
        .as(run.report())
        .containsExactlyInAnyOrder(
            "required_reopenKeepsEveryBlock",
            "required_closeIsIdempotentAndAppendAfterCloseIsRefused");
    assertThat(run.skipped()).containsExactly(TORN_TAIL);
  }

  /** The contract on the correct list store. Not run by Surefire directly (nested). */
  static class CorrectListLedgerContract extends LedgerStoreContract {
    Breakage breakage() {
      return Breakage.NONE;
    }

    @Override
    protected LedgerStore open(LedgerOptions options) {
      return ListLedgerStore.open(options, breakage());
    }
  }

  /** Appends blocks of any number. */
  static final class GapAcceptingLedgerContract extends CorrectListLedgerContract {
    @Override
    Breakage breakage() {
      return Breakage.ACCEPTS_ANY_NUMBER;
    }
  }

  /** Loses the last block on reopen. */
  static final class ForgetfulLedgerContract extends CorrectListLedgerContract {
    @Override
    Breakage breakage() {
      return Breakage.LOSES_LAST_BLOCK_ON_REOPEN;
    }
  }
}
