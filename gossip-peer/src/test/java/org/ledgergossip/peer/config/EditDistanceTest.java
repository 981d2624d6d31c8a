package org.ledgergossip.peer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditDistanceTest {

  @Test
  void countsInsertionsDeletionsAndSubstitutions() {
    assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
    assertThat(EditDistance.between("", "abc")).isEqualTo(3);
    assertThat(EditDistance.between("same", "same")).isZero();
  }

  @Test
  void suggestsTheNearestCandidateOnlyWhenItIsClose() {
    List<String> keys = List.of("peer.gossip.bootstrap", "peer.gossip.pullInterval", "peer.id");
    assertThat(EditDistance.nearest("peer.gossip.bootstap", keys))
        .contains("peer.gossip.bootstrap");
    assertThat(EditDistance.nearest("PEER.GOSSIP.PULLINTERVAL", keys))
        .contains("peer.gossip.pullInterval");
    assertThat(EditDistance.nearest("chaincode.mode", keys)).isEmpty();
  }
}
