package org.ledgergossip.peer.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Levenshtein distance, to suggest the known key nearest to a misspelt one. */
final class EditDistance {

  private EditDistance() {}

  /** The edits (insert, delete, substitute one character) turning {@code a} into {@code b}. */
  static int between(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /**
   * The candidate nearest to {@code word} (ignoring case), if it is near enough to be a likely
   * misspelling: at most a third of the word's length away, and at least 2 edits allowed. Ties go
   * to the first candidate.
   */
  static Optional<String> nearest(String word, Collection<String> candidates) {
    String w = word.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, w.length() / 3);
    @Nullable String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = between(w, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
  }
}
