package io.datahop.cli;

import io.datahop.edn.Edn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a big top-level EDN vector as two halves on two threads: parsing is the longest
 * single-threaded step of a bulk {@code transact} and the second core is idle meanwhile
 * (issue 3). The split point is found by a scan that tracks strings, comments and bracket
 * depth; input whose shape the scan does not follow (a {@code #_} discard, a character
 * literal) or anything that fails to parse is read whole, so errors report their real place.
 */
final class HalvedRead {
  private HalvedRead() {}

  /** Below this many characters one thread reads the file: the second would not pay for itself. */
  static final int MIN_CHARS = 1 << 20;

  /** The forms of {@code text}, read in two halves when it is a big top-level vector. */
  static Object read(String text) {
    int split = text.length() < MIN_CHARS ? -1 : splitPoint(text);
    if (split < 0) return Edn.read(text);
    try {
      String first = text.substring(0, split) + "]";
      String second = "[" + text.substring(split);
      CompletableFuture<Object> tail = CompletableFuture.supplyAsync(() -> Edn.read(second),
          r -> Thread.ofPlatform().daemon().name("datahop-read").start(r));
      Object a = Edn.read(first);
      Object b = tail.join();
      if (!(a instanceof List<?> la) || !(b instanceof List<?> lb)) return Edn.read(text);
      List<Object> all = new ArrayList<>(la.size() + lb.size());
      all.addAll(la);
      all.addAll(lb);
      return all;
    } catch (RuntimeException e) {
      return Edn.read(text); // throws again, with positions in the whole text
    }
  }

  /**
   * The index just after a top-level vector's element that ends past the middle of
   * {@code text}, where the rest of the elements start; -1 when there is none or the text has
   * syntax the scan does not track.
   */
  static int splitPoint(String text) {
    int n = text.length(), i = 0;
    while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) i++;
    if (i >= n || text.charAt(i) != '[') return -1;
    int depth = 0, mid = n / 2;
    for (; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> {
          for (i++; i < n && text.charAt(i) != '"'; i++) if (text.charAt(i) == '\\') i++;
          if (i >= n) return -1;
        }
        case ';' -> {
          while (i < n && text.charAt(i) != '\n') i++;
        }
        case '\\' -> {
          return -1; // a character literal such as \[ or \"
        }
        case '#' -> {
          if (i + 1 < n && text.charAt(i + 1) == '_') return -1;
        }
        case '[', '{', '(' -> depth++;
        case ']', '}', ')' -> {
          depth--;
          if (depth == 1 && i >= mid) return i + 1;
          if (depth <= 0) return -1;
        }
        default -> { }
      }
    }
    return -1;
  }
}
