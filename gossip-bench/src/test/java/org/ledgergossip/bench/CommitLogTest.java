package org.ledgergossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Block;
import org.ledgergossip.api.Bytes;

/** The exactly-once/in-order check every block scenario relies on catches what it must. */
class CommitLogTest {

  private static Block block(long n, String data) {
    return new Block(
        n,
        Bytes.EMPTY,
        Bytes.EMPTY,
        List.of(Bytes.copyOf(data.getBytes(StandardCharsets.UTF_8))),
        List.of());
  }

  @Test
  void blocksFromTheStartHeightOnceInOrderAreExact() {
    CommitLog log = new CommitLog(5);
    for (long n = 5; n < 8; n++) {
      log.committed(block(n, "x"), n * 10, block(n, "x"));
    }

    assertThat(log.isExactly(8)).isTrue();
    assertThat(log.violations()).isZero();
    assertThat(log.at(6)).hasValue(60);
    assertThat(log.at(4)).isEmpty();
  }

  @Test
  void aBlockCommittedTwiceIsADuplicate() {
    CommitLog log = new CommitLog(0);
    log.committed(block(0, "x"), 1, null);
    log.committed(block(1, "x"), 2, null);
    log.committed(block(1, "x"), 3, null);

    assertThat(log.duplicates()).isEqualTo(1);
    assertThat(log.isExactly(2)).isFalse();
    assertThat(log.at(1)).hasValue(2);
    assertThat(log.described()).singleElement().asString().contains("block 1 committed again");
  }

  @Test
  void aSkippedBlockIsAGap() {
    CommitLog log = new CommitLog(0);
    log.committed(block(0, "x"), 1, null);
    log.committed(block(2, "x"), 2, null);

    assertThat(log.gaps()).isEqualTo(1);
    assertThat(log.isExactly(3)).isFalse();
  }

  @Test
  void aBlockUnlikeTheOrderingServicesIsAMismatch() {
    CommitLog log = new CommitLog(0);
    log.committed(block(0, "forged"), 1, block(0, "cut"));

    assertThat(log.mismatches()).isEqualTo(1);
    assertThat(log.isExactly(1)).isFalse();
  }

  @Test
  void stoppingShortIsNotExact() {
    CommitLog log = new CommitLog(0);
    log.committed(block(0, "x"), 1, null);

    assertThat(log.violations()).isZero();
    assertThat(log.isExactly(2)).isFalse();
  }
}
