package org.ledgergossip.peer.ops;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * A small streaming writer of compact JSON (RFC 8259): strings are escaped ({@code "}, {@code \},
 * control characters, and U+2028/U+2029 for the sake of JavaScript readers). The caller nests
 * objects and arrays correctly; a misuse (a value where a name is expected) is a programming error
 * and throws {@link IllegalStateException}. Not thread-safe.
 */
final class JsonWriter {

  private final StringBuilder out = new StringBuilder(256);

  /** Per open container: true for an object; whether a member was already written. */
  private final Deque<boolean[]> stack = new ArrayDeque<>();

  private boolean afterName;

  @CanIgnoreReturnValue
  JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    stack.push(new boolean[] {true, false});
    return this;
  }

  @CanIgnoreReturnValue
  JsonWriter endObject() {
    end(true);
    out.append('}');
    return this;
  }

  @CanIgnoreReturnValue
  JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    stack.push(new boolean[] {false, false});
    return this;
  }

  @CanIgnoreReturnValue
  JsonWriter endArray() {
    end(false);
    out.append(']');
    return this;
  }

  /** The name of the next member of the current object. */
  @CanIgnoreReturnValue
  JsonWriter name(String name) {
    boolean[] top = stack.peek();
    if (top == null || !top[0] || afterName) {
      throw new IllegalStateException("a name is only allowed inside an object, before a value");
    }
    if (top[1]) {
      out.append(',');
    }
    top[1] = true;
    quote(out, name);
    out.append(':');
    afterName = true;
    return this;
  }

  @CanIgnoreReturnValue
  JsonWriter value(@Nullable String value) {
    beforeValue();
    if (value == null) {
      out.append("null");
    } else {
      quote(out, value);
    }
    return this;
  }

  @CanIgnoreReturnValue
  JsonWriter value(long value) {
    beforeValue();
    out.append(value);
    return this;
  }

  @CanIgnoreReturnValue
  JsonWriter value(boolean value) {
    beforeValue();
    out.append(value);
    return this;
  }

  /** Shorthand for {@code name(name).value(value)}. */
  @CanIgnoreReturnValue
  JsonWriter field(String name, @Nullable String value) {
    return name(name).value(value);
  }

  @CanIgnoreReturnValue
  JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  @CanIgnoreReturnValue
  JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  private void beforeValue() {
    boolean[] top = stack.peek();
    if (top == null) {
      if (out.length() > 0) {
        throw new IllegalStateException("only one top-level value");
      }
      return;
    }
    if (top[0]) {
      if (!afterName) {
        throw new IllegalStateException("a member of an object needs a name first");
      }
      afterName = false;
      return;
    }
    if (top[1]) {
      out.append(',');
    }
    top[1] = true;
  }

  private void end(boolean object) {
    boolean[] top = stack.peek();
    if (top == null || top[0] != object || afterName) {
      throw new IllegalStateException("unbalanced " + (object ? "object" : "array"));
    }
    stack.pop();
  }

  @Override
  public String toString() {
    if (!stack.isEmpty()) {
      throw new IllegalStateException(stack.size() + " containers still open");
    }
    return out.toString();
  }

  /** Appends {@code s} as a JSON string literal. */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quote(b, s);
    return b.toString();
  }
}
