package org.ledgergossip.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link StatusReader} reads the {@code /status} JSON of OPERATIONS.md. */
class StatusReaderTest {

  /** The example of OPERATIONS.md, with values filled in. */
  static final String EXAMPLE =
      """
      {
        "peer":   {"id": "peer0.org1.example.com", "mspId": "Org1MSP", "pkiId": "0a0b",
                   "endpoint": "127.0.0.1:7051", "externalEndpoint": "127.0.0.1:7051",
                   "incNum": 1732400000000, "startedAt": "2026-11-24T20:00:00Z"},
        "membership": {
          "alive": [{"pkiId": "0c0d", "endpoint": "127.0.0.1:7052", "mspId": "Org1MSP",
                     "incNum": 3, "seqNum": 17, "lastSeenMs": 250}],
          "dead":  [{"pkiId": "0e0f", "endpoint": null, "mspId": "Org2MSP", "incNum": 4,
                     "deadForMs": 9000}]
        },
        "channels": [{
          "name": "mychannel", "height": 42, "isLeader": false, "leader": "0c0d",
          "members": [{"pkiId": "0c0d", "height": 41, "left": false}],
          "blocks": {"byPush": 30, "byPull": 2, "byStateTransfer": 9, "fromOrderer": 0},
          "future": {"ignored": true}
        }],
        "rejected": {"bad_signature": 1, "unknown_channel": 0, "oversize_frame": 2}
      }
      """;

  @Test
  void readsEveryFieldOfTheOperationsExample() {
    StatusReader s = StatusReader.parse(EXAMPLE);

    assertThat(s.peer())
        .isEqualTo(
            new StatusReader.Peer(
                "peer0.org1.example.com",
                "Org1MSP",
                "0a0b",
                "127.0.0.1:7051",
                "127.0.0.1:7051",
                1732400000000L,
                "2026-11-24T20:00:00Z"));
    assertThat(s.alive())
        .containsExactly(
            new StatusReader.AliveMember("0c0d", "127.0.0.1:7052", "Org1MSP", 3, 17, 250));
    assertThat(s.dead())
        .containsExactly(new StatusReader.DeadMember("0e0f", null, "Org2MSP", 4, 9000));
    StatusReader.Channel c = s.channel("mychannel").orElseThrow();
    assertThat(c.height()).isEqualTo(42);
    assertThat(c.isLeader()).isFalse();
    assertThat(c.leader()).isEqualTo("0c0d");
    assertThat(c.members()).containsExactly(new StatusReader.ChannelMember("0c0d", 41, false));
    assertThat(c.byPush()).isEqualTo(30);
    assertThat(c.byPull()).isEqualTo(2);
    assertThat(c.byStateTransfer()).isEqualTo(9);
    assertThat(c.fromOrderer()).isZero();
    assertThat(s.channel("other")).isEmpty();
    assertThat(s.rejected())
        .containsEntry("bad_signature", 1L)
        .containsEntry("unknown_channel", 0L)
        .containsEntry("oversize_frame", 2L);
  }

  @Test
  void whatStatusJsonWritesReadsBack() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("peer")
            .beginObject()
            .field("id", "p\"1")
            .field("mspId", "M")
            .field("pkiId", "00")
            .field("endpoint", "h:1")
            .field("externalEndpoint", (String) null)
            .field("incNum", 1)
            .field("startedAt", "2026-01-01T00:00:00Z")
            .endObject()
            .name("membership")
            .beginObject()
            .name("alive")
            .beginArray()
            .endArray()
            .name("dead")
            .beginArray()
            .endArray()
            .endObject()
            .name("channels")
            .beginArray()
            .endArray()
            .name("rejected")
            .beginObject()
            .endObject()
            .endObject()
            .toString();

    StatusReader s = StatusReader.parse(json);

    assertThat(s.peer().id()).isEqualTo("p\"1");
    assertThat(s.peer().externalEndpoint()).isNull();
    assertThat(s.alive()).isEmpty();
    assertThat(s.channels()).isEmpty();
  }

  @Test
  void aMissingOrMistypedFieldIsNamed() {
    assertThatThrownBy(() -> StatusReader.parse(EXAMPLE.replace("\"height\": 42,", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channels[0].height is missing");
    assertThatThrownBy(
            () -> StatusReader.parse(EXAMPLE.replace("\"seqNum\": 17", "\"seqNum\": \"17\"")))
        .hasMessageContaining("membership.alive[0].seqNum should be an integer");
    assertThatThrownBy(() -> StatusReader.parse("[]")).hasMessageContaining("should be an object");
    assertThatThrownBy(() -> StatusReader.parse("{\"peer\":")).hasMessageContaining("invalid JSON");
  }
}
