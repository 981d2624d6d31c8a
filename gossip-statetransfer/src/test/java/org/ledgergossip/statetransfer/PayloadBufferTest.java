package org.ledgergossip.statetransfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ledgergossip.statetransfer.PayloadBuffer.Result;

class PayloadBufferTest {

  @Test
  void payloadsAreReleasedInOrderFromTheNextExpectedNumberEachOnce() {
    PayloadBuffer<String> b = new PayloadBuffer<>(5, 4);
    assertThat(b.offer(7, "7")).isEqualTo(Result.ADDED);
    assertThat(b.offer(6, "6")).isEqualTo(Result.ADDED);
    assertThat(b.poll()).isEmpty();
    assertThat(b.offer(5, "5")).isEqualTo(Result.ADDED);
    assertThat(b.poll()).contains("5");
    assertThat(b.poll()).contains("6");
    assertThat(b.poll()).contains("7");
    assertThat(b.poll()).isEmpty();
    assertThat(b.next()).isEqualTo(8);
    assertThat(b.size()).isZero();
  }

  @Test
  void payloadsBelowTheNextNumberOrAlreadyHeldAreDuplicates() {
    PayloadBuffer<String> b = new PayloadBuffer<>(5, 4);
    assertThat(b.offer(4, "4")).isEqualTo(Result.DUPLICATE);
    assertThat(b.offer(6, "6")).isEqualTo(Result.ADDED);
    assertThat(b.offer(6, "other")).isEqualTo(Result.DUPLICATE);
  }

  @Test
  void gossipOffersOutsideTheWindowAreDroppedStateTransferReachesTheCapacity() {
    PayloadBuffer<String> b = new PayloadBuffer<>(10, 4);
    assertThat(b.capacity()).isEqualTo(8);
    assertThat(b.offer(13, "13")).isEqualTo(Result.ADDED);
    assertThat(b.offer(14, "14")).isEqualTo(Result.TOO_FAR);
    assertThat(b.offerWithinCapacity(17, "17")).isEqualTo(Result.ADDED);
    assertThat(b.offerWithinCapacity(18, "18")).isEqualTo(Result.TOO_FAR);
    assertThat(b.size()).isEqualTo(2);
  }

  @Test
  void blockingAddTimesOutWhenThereIsNoRoom() throws Exception {
    PayloadBuffer<String> b = new PayloadBuffer<>(0, 2);
    assertThat(b.add(3, "3", Duration.ZERO)).isEqualTo(Result.ADDED);
    assertThat(b.add(4, "4", Duration.ofMillis(1))).isEqualTo(Result.TIMED_OUT);
  }

  @Test
  void blockingAddProceedsOnceTheCommitterMakesRoom() throws Exception {
    PayloadBuffer<String> b = new PayloadBuffer<>(0, 1);
    assertThat(b.add(0, "0", Duration.ZERO)).isEqualTo(Result.ADDED);
    CompletableFuture<Result> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return b.add(2, "2", Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.TIMED_OUT;
              }
            });
    assertThat(b.poll()).contains("0");
    assertThat(waiting.get(30, TimeUnit.SECONDS)).isEqualTo(Result.ADDED);
    assertThat(b.contains(2)).isTrue();
  }

  @Test
  void resetMovesTheNextNumberAndDropsWhatIsBelow() {
    PayloadBuffer<String> b = new PayloadBuffer<>(0, 4);
    assertThat(b.offer(1, "1")).isEqualTo(Result.ADDED);
    assertThat(b.offer(3, "3")).isEqualTo(Result.ADDED);
    b.reset(2);
    assertThat(b.next()).isEqualTo(2);
    assertThat(b.contains(1)).isFalse();
    assertThat(b.contains(3)).isTrue();
  }
}
