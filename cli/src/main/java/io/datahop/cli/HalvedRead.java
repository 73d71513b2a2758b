package io.datahop.cli;

import io.datahop.edn.Edn;
import io.datahop.edn.EdnReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a big top-level EDN vector as two halves on two threads: parsing is the longest
 * single-threaded step of a bulk {@code transact} and the second core is idle meanwhile
 * (issue 3). The split point is found by a scan that tracks strings, comments and bracket
 * depth; it runs on the second thread while the first already reads the vector's elements
 * from the start, and the first stops where the scan says the second begins. Input whose
 * shape the scan does not follow (a {@code #_} discard, a character literal) is read by the
 * first thread alone, and anything that fails to parse is read again whole, so errors report
 * their real place.
 */
final class HalvedRead {
  private HalvedRead() {}

  /** Below this many bytes one thread reads the file: the second would not pay for itself. */
  static final int MIN_BYTES = 1 << 20;

  /**
   * Where the second half starts, as a fraction of the bytes: past the middle, because the
   * first thread starts reading at once and the second only once the scan has found the split
   * (the scan costs about a quarter of what reading the same bytes does under C1, so the halves
   * end together near 55%).
   */
  static final double SPLIT_AT = 0.55;

  private static final int UNKNOWN = -2;
  private static final int NONE = -1;
  private static final Object END = new Object();

  /** The forms of the second half and the offset just past its last one. */
  private record Half(List<Object> forms, int end) {}

  /**
   * The forms of the UTF-8 {@code bytes}, read in two halves when they hold a big top-level
   * vector. The split is found on the bytes (every EDN delimiter is ASCII, and no byte of a
   * multi-byte UTF-8 character is), and each half is read from the bytes on its own thread, so
   * nothing serial touches every character.
   */
  static Object read(byte[] bytes) {
    return read(bytes, r -> Thread.ofPlatform().daemon().name("datahop-read").start(r));
  }

  /** As {@link #read(byte[])}, the scan and the second half run by {@code second}. */
  static Object read(byte[] bytes, Executor second) {
    int open = bytes.length < MIN_BYTES ? -1 : firstBracket(bytes);
    int close = open < 0 ? -1 : lastBracket(bytes);
    if (open < 0 || close <= open) return Edn.read(bytes);
    AtomicInteger split = new AtomicInteger(UNKNOWN);
    CompletableFuture<Half> tail = new CompletableFuture<>();
    second.execute(() -> {
      int s = NONE;
      try {
        s = splitPoint(bytes);
        s = s > open && s <= close ? s : NONE;
      } finally {
        split.set(s);
      }
      if (s == NONE) return;
      try {
        EdnReader.Forms f = EdnReader.standard().forms(bytes, s, close);
        List<Object> forms = new ArrayList<>();
        for (Object v = f.next(END); v != END; v = f.next(END)) forms.add(v);
        tail.complete(new Half(forms, f.end()));
      } catch (RuntimeException | Error e) {
        tail.completeExceptionally(e);
      }
    });
    try {
      EdnReader.Forms f = EdnReader.standard().forms(bytes, open + 1, close);
      List<Object> head = new ArrayList<>();
      boolean alone = false;
      for (; ; ) {
        if (!alone) {
          int s = split.get();
          if (s == NONE || s >= 0 && f.end() > s) {
            alone = true; // no split, or the scan came late: read on to the end
          } else if (s >= 0 && f.end() == s) {
            Half b = tail.join();
            if (!realClose(bytes, b.end(), close)) return Edn.read(bytes);
            head.addAll(b.forms());
            return head;
          }
        }
        Object v = f.next(END);
        if (v == END) break;
        head.add(v);
      }
      return realClose(bytes, f.end(), close) ? head : Edn.read(bytes);
    } catch (RuntimeException e) {
      // throws again, with positions in the whole text
      return Edn.read(bytes);
    }
  }

  /**
   * Whether only blanks and whole-line comments lie between the last element's end and the
   * final ']': else that ']' sits in a comment (the vector is unclosed) and the whole read
   * must report it.
   */
  private static boolean realClose(byte[] t, int from, int close) {
    for (int i = from; i < close; i++) {
      if (t[i] == ';') {
        while (i < close && t[i] != '\n') i++;
        if (i >= close) return false;
      } else if (!blank(t[i]) && t[i] != '\f') {
        return false;
      }
    }
    return true;
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
   * The index just after a top-level vector's element that ends past {@link #SPLIT_AT} of
   * {@code t}, where the rest of the elements start; -1 when there is none or the text has
   * syntax the scan does not track. It runs before either half starts, so the common bytes
   * (neither quote, comment, backslash, dispatch nor bracket) are passed over by one table
   * look-up each.
   */
  static int splitPoint(byte[] t) {
    int n = t.length, i = firstBracket(t);
    if (i < 0) return -1;
    int depth = 0, mid = (int) (n * SPLIT_AT);
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
