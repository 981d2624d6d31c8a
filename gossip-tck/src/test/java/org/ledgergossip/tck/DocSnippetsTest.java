package org.ledgergossip.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code snippet of the README and of {@code docs/} that names its source ({@code <!-- snippet:
 * path#tag -->} on the line before the fence) is, line for line, the region between {@code //
 * tag::tag[]} and {@code // end::tag[]} (or the XML comments {@code <!-- tag::tag[] -->}, {@code
 * <!-- end::tag[] -->}) of that file, which CI compiles or builds. So the documentation cannot
 * drift from code that builds.
 */
class DocSnippetsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern MARKER =
      Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\s*\\n```\\w*\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyNamedSnippetIsTheTaggedRegionOfItsSourceFile() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    if (Files.isDirectory(ROOT.resolve("docs"))) {
      try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
        files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
      }
    }
    int checked = 0;
    for (Path doc : docs) {
      Matcher m = MARKER.matcher(Files.readString(doc));
      while (m.find()) {
        Path source = ROOT.resolve(m.group(1));
        assertThat(source).as("source of a snippet in " + doc).exists();
        assertThat(m.group(3))
            .as("snippet %s#%s in %s", m.group(1), m.group(2), ROOT.relativize(doc))
            .isEqualTo(region(source, m.group(2)));
        checked++;
      }
    }
    assertThat(checked).as("snippets found").isPositive();
  }

  /** The lines between the tag markers, with their common indentation removed. */
  private static String region(Path source, String tag) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.equals("// tag::" + tag + "[]") || line.equals("<!-- tag::" + tag + "[] -->")) {
        start = i + 1;
      } else if (line.equals("// end::" + tag + "[]")
          || line.equals("<!-- end::" + tag + "[] -->")) {
        end = i;
      }
    }
    assertThat(start).as("tag::%s[] in %s", tag, source).isPositive();
    assertThat(end).as("end::%s[] in %s", tag, source).isGreaterThanOrEqualTo(start);
    List<String> body = lines.subList(start, end);
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String l : body) {
      out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return out.toString();
  }
}
