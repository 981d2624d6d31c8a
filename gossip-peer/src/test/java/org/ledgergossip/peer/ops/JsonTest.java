package org.ledgergossip.peer.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small JSON writer and parser of the operations endpoints. */
class JsonTest {

  @Test
  void stringsAreEscapedAndReadBackUnchanged() {
    String nasty = "quote\" backslash\\ slash/ nl\n cr\r tab\t nul\0 bell\u0007 ls\u2028 é 😀";
    String json =
        new JsonWriter()
            .beginObject()
            .field("k\"ey", nasty)
            .field("n", (String) null)
            .endObject()
            .toString();

    assertThat(json)
        .doesNotContain("\n")
        .doesNotContain("\0")
        .contains("\\u0000")
        .contains("\\u2028");
    Map<?, ?> back = (Map<?, ?>) JsonParser.parse(json);
    assertThat(back.get("k\"ey")).isEqualTo(nasty);
    assertThat(back.containsKey("n")).isTrue();
    assertThat(back.get("n")).isNull();
  }

  @Test
  void writerSeparatesMembersAndElements() {
    String json =
        new JsonWriter()
            .beginObject()
            .field("a", 1)
            .name("b")
            .beginArray()
            .value(true)
            .value("x")
            .beginObject()
            .endObject()
            .beginArray()
            .endArray()
            .endArray()
            .field("c", false)
            .endObject()
            .toString();

    assertThat(json).isEqualTo("{\"a\":1,\"b\":[true,\"x\",{},[]],\"c\":false}");
  }

  @Test
  void writerRefusesMisuse() {
    assertThatThrownBy(() -> new JsonWriter().beginObject().value(1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().name("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().toString())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().endObject())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void parserReadsEveryKindOfValue() {
    Object v =
        JsonParser.parse(
            " {\"s\":\"a\\u00e9\\n\",\"i\":-42,\"big\":123456789012345678901,\"d\":1.5e2,"
                + "\"t\":true,\"f\":false,\"z\":null,\"l\":[1,[2],{}]} ");

    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.get("s")).isEqualTo("aé\n");
    assertThat(m.get("i")).isEqualTo(-42L);
    assertThat(m.get("big")).isEqualTo(new BigDecimal("123456789012345678901"));
    assertThat(m.get("d")).isEqualTo(new BigDecimal("1.5e2"));
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m.get("f")).isEqualTo(false);
    assertThat(m.get("z")).isNull();
    assertThat(m.get("l")).isEqualTo(List.of(1L, List.of(2L), Map.of()));
    assertThat(JsonParser.parse(String.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void parserRefusesWhatIsNotJson() {
    for (String bad :
        List.of(
            "",
            "{",
            "{\"a\":1,}",
            "[1,]",
            "{a:1}",
            "'x'",
            "01",
            "1.",
            "-",
            "\"unterminated",
            "\"tab\tinside\"",
            "\"bad \\x escape\"",
            "\"\\u12\"",
            "tru",
            "nul",
            "{} {}",
            "[1 2]")) {
      assertThatThrownBy(() -> JsonParser.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid JSON at offset");
    }
  }

  @Test
  void parserBoundsNesting() {
    char[] open = new char[JsonParser.MAX_DEPTH + 1];
    Arrays.fill(open, '[');

    assertThatThrownBy(() -> JsonParser.parse(new String(open)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nesting deeper than");
  }
}
