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

  /** Below this many bytes one thread reads the file: the second would not pay for itself. */
  static final int MIN_BYTES = 1 << 20;

  /**
   * The forms of the UTF-8 {@code bytes}, read in two halves when they hold a big top-level
   * vector. The split is found on the bytes (every EDN delimiter is ASCII, and no byte of a
   * multi-byte UTF-8 character is), and each half is read from the bytes on its own thread, so
   * nothing serial touches every character except the scan.
   */
  static Object read(byte[] bytes) {
    int split = bytes.length < MIN_BYTES ? -1 : splitPoint(bytes);
    int open = split < 0 ? -1 : firstBracket(bytes);
    int close = split < 0 ? -1 : lastBracket(bytes);
    if (split < 0 || open < 0 || close < split) return Edn.read(bytes);
    try {
      CompletableFuture<List<Object>> tail = CompletableFuture.supplyAsync(
          () -> Edn.readAll(bytes, split, close),
          r -> Thread.ofPlatform().daemon().name("datahop-read").start(r));
      List<Object> a = Edn.readAll(bytes, open + 1, split);
      List<Object> b = tail.join();
      List<Object> all = new ArrayList<>(a.size() + b.size());
      all.addAll(a);
      all.addAll(b);
      return all;
    } catch (RuntimeException e) {
      // throws again, with positions in the whole text
      return Edn.read(bytes);
    }
  }

  private static boolean blank(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',';
  }

  /** The index of the opening '[' after leading blanks, or -1. */
  private static int firstBracket(byte[] t) {
    int i = 0;
    while (i < t.length && blank(t[i])) i++;
    return i < t.length && t[i] == '[' ? i : -1;
  }

  /** The index of the closing ']' before trailing blanks, or -1. */
  private static int lastBracket(byte[] t) {
    int i = t.length - 1;
    while (i >= 0 && blank(t[i])) i--;
    return i >= 0 && t[i] == ']' ? i : -1;
  }

  /** Bytes the split scan acts on: quote, comment, backslash, dispatch and brackets; 0 for the rest. */
  private static final byte[] SPECIAL = new byte[256];

  static {
    for (char c : "\";\\#[{(]})".toCharArray()) SPECIAL[c] = 1;
  }

  /**
   * The index just after a top-level vector's element that ends past the middle of
   * {@code t}, where the rest of the elements start; -1 when there is none or the text has
   * syntax the scan does not track. It runs before either half starts, so the common bytes
   * (neither quote, comment, backslash, dispatch nor bracket) are passed over by one table
   * look-up each.
   */
  static int splitPoint(byte[] t) {
    int n = t.length, i = firstBracket(t);
    if (i < 0) return -1;
    int depth = 0, mid = n / 2;
    byte[] special = SPECIAL;
    for (; i < n; i++) {
      byte c = t[i];
      if (special[c & 0xFF] == 0) continue;
      switch (c) {
        case '"' -> {
          for (i++; i < n && t[i] != '"'; i++) if (t[i] == '\\') i++;
          if (i >= n) return -1;
        }
        case ';' -> {
          while (i < n && t[i] != '\n') i++;
        }
        case '\\' -> {
          return -1; // a character literal such as \[ or \"
        }
        case '#' -> {
          if (i + 1 < n && t[i + 1] == '_') return -1;
        }
        case '[', '{', '(' -> depth++;
        default -> { // ']', '}', ')'
          depth--;
          if (depth == 1 && i >= mid) return i + 1;
          if (depth <= 0) return -1;
        }
      }
    }
    return -1;
  }
}
