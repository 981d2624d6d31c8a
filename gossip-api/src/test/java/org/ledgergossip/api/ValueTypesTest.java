package org.ledgergossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void endpointParsesAndPrintsHostPortAndIpv6() {
    assertThat(Endpoint.parse("127.0.0.1:7051")).isEqualTo(new Endpoint("127.0.0.1", 7051));
    assertThat(Endpoint.parse("[::1]:7051").host()).isEqualTo("::1");
    assertThat(new Endpoint("::1", 7051)).hasToString("[::1]:7051");
    assertThat(Endpoint.parse(new Endpoint("peer0.org1.example.com", 1).toString()))
        .isEqualTo(new Endpoint("peer0.org1.example.com", 1));
  }

  @Test
  void endpointRejectsMalformedText() {
    assertThatThrownBy(() -> Endpoint.parse("host")).hasMessageContaining("'host'");
    assertThatThrownBy(() -> Endpoint.parse("host:port")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Endpoint.parse("host:70000")).hasMessageContaining("invalid port");
    assertThatThrownBy(() -> Endpoint.parse(":1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.parse("a:b:1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Endpoint("a b", 1)).hasMessageContaining("whitespace");
  }

  @Test
  void pkiIdsOrderAsUnsignedBytes() {
    PkiId low = PkiId.of(new byte[] {0x01, (byte) 0xff});
    PkiId high = PkiId.of(new byte[] {(byte) 0x80, 0x00});
    assertThat(low).isLessThan(high);
    assertThat(PkiId.fromHex(high.toHex())).isEqualTo(high);
    assertThatThrownBy(() -> PkiId.of(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] raw = {1, 2, 3};
    Bytes b = Bytes.copyOf(raw);
    raw[0] = 9;
    assertThat(b.byteAt(0)).isEqualTo((byte) 1);
    b.toByteArray()[1] = 9;
    assertThat(b.byteAt(1)).isEqualTo((byte) 2);
    assertThat(b).isEqualTo(Bytes.fromHex("010203")).hasSameHashCodeAs(Bytes.fromHex("010203"));
  }

  @Test
  void peerTimeComparesIncarnationThenSequence() {
    assertThat(new PeerTime(2, 0).isNewerThan(new PeerTime(1, 99))).isTrue();
    assertThat(new PeerTime(1, 5).isNewerThan(new PeerTime(1, 4))).isTrue();
    assertThat(new PeerTime(1, 5).isNewerThan(new PeerTime(1, 5))).isFalse();
    assertThat(new PeerTime(-1, 0).isNewerThan(new PeerTime(1, 0)))
        .as("unsigned, as Fabric's uint64")
        .isTrue();
  }

  @Test
  void blockIsImmutableAndExposesSignatureMetadata() {
    List<Bytes> data =
        new java.util.ArrayList<>(List.of(Bytes.fromHex("aa"), Bytes.fromHex("bbcc")));
    Block block =
        new Block(3, Bytes.fromHex("01"), Bytes.fromHex("02"), data, List.of(Bytes.fromHex("ff")));
    data.clear();
    assertThat(block.data()).hasSize(2);
    assertThat(block.dataSize()).isEqualTo(3);
    assertThat(block.signaturesMetadata()).isEqualTo(Bytes.fromHex("ff"));
    assertThat(new Block(0, Bytes.EMPTY, Bytes.EMPTY, List.of(), List.of()).signaturesMetadata())
        .isEqualTo(Bytes.EMPTY);
    assertThatThrownBy(() -> new Block(-1, Bytes.EMPTY, Bytes.EMPTY, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
