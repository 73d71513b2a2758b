package io.datahop.edn;

import io.datahop.DatahopException;
import io.datahop.InputBounds;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.Function;

/**
 * One pass over one EDN text, held as bytes ({@link EdnBytes}).
 *
 * <p>Implementation notes: the parser is iterative, with an explicit stack of open frames
 * (collections, tagged literals awaiting their value, {@code #_} and {@code ^meta} awaiting the
 * form they drop), so hostile nesting can never overflow the thread stack; depth is bounded by
 * {@code maxDepth} to bound memory and keep the recursive printer safe. Line and column are
 * computed from the offset only when an error is raised, so the hot path tracks nothing but an
 * index into the bytes. A bulk import reads tens of MB of this under C1 (no escape analysis,
 * little inlining), so the hot path avoids calls and allocations: a byte-class table instead of
 * switches, one reusable item buffer per nesting level, strings copied straight from ASCII bytes,
 * and a cache of the keywords read so far, matched on their bytes.
 */
final class EdnParser {
  private static final int VECTOR = 0;
  private static final int LIST = 1;
  private static final int MAP = 2;
  private static final int SET = 3;
  private static final int TAG = 4;
  private static final int DISCARD = 5;

  /** Returned by {@link #next} at the end of the input. */
  static final Object EOF = new Object();

  private static final byte WS = 1;
  private static final byte DELIM = 2;
  private static final byte DIGIT = 4;

  /** The class bits of each byte value (index {@code b & 0xFF}); non-ASCII bytes have none. */
  private static final byte[] CLASS = new byte[256];

  static {
    for (char c : " ,\n\t\r\f".toCharArray()) {
      CLASS[c] = WS | DELIM;
    }
    for (char c : "()[]{}\";\\^".toCharArray()) {
      CLASS[c] = DELIM;
    }
    for (char c = '0'; c <= '9'; c++) {
      CLASS[c] = DIGIT;
    }
  }

  private final EdnBytes src;
  private final byte[] b;
  private final int end;
  private final Map<String, Function<Object, Object>> tags;
  private final int maxDepth;
  private final int maxDigits;
  private final int maxScale;
  private int pos;

  private Frame[] stack = new Frame[16];
  private int depth;

  private static final class Frame {
    int kind;
    int start;
    String tag;
    /** The forms read so far (collections only); kept for the next frame at this depth. */
    Object[] items;
    int count;
  }

  EdnParser(EdnBytes src, Map<String, Function<Object, Object>> tags, int maxDepth, int maxDigits, int maxScale) {
    this.src = src;
    this.b = src.b;
    this.end = src.end;
    this.pos = src.from;
    this.tags = tags;
    this.maxDepth = maxDepth;
    this.maxDigits = maxDigits;
    this.maxScale = maxScale;
  }

  int end() {
    return end;
  }

  /** The offset just past what was read so far (after a top-level form: just past that form). */
  int position() {
    return pos;
  }

  /** Skips whitespace and comments; the offset of what follows. */
  int skipBlank() {
    skipWhitespace();
    return pos;
  }

  /** The next top-level form, or {@link #EOF}. */
  Object next() {
    for (; ; ) {
      skipWhitespace();
      if (pos >= end) {
        if (depth > 0) {
          throw unclosed(stack[depth - 1]);
        }
        return EOF;
      }
      int c = b[pos];
      Object v;
      switch (c) {
        case '[' -> {
          push(VECTOR, pos, null);
          pos++;
          continue;
        }
        case '(' -> {
          push(LIST, pos, null);
          pos++;
          continue;
        }
        case '{' -> {
          push(MAP, pos, null);
          pos++;
          continue;
        }
        case ']', ')', '}' -> {
          v = close((char) c);
          pos++;
        }
        case '"' -> v = readString();
        case '\\' -> v = readChar();
        case '^' -> {
          // metadata: the next form is read and dropped, the one after it is the value
          push(DISCARD, pos, "^");
          pos++;
          continue;
        }
        case '#' -> {
          if (pos + 1 >= end) {
            throw error("edn/eof", pos, "expected a dispatch character after '#'", "end of input");
          }
          int d = b[pos + 1];
          if (d == '{') {
            push(SET, pos, null);
            pos += 2;
            continue;
          } else if (d == '_') {
            push(DISCARD, pos, "#_");
            pos += 2;
            continue;
          } else if (d == '#') {
            v = readSpecialFloat();
          } else if (Character.isLetter(src.charAt(pos + 1))) {
            int start = pos;
            pos++;
            String tag = readToken();
            push(TAG, start, tag);
            continue;
          } else {
            throw error("edn/bad-dispatch", pos, "'#{', '#_', '##' or a tag like '#inst'", describe(pos + 1));
          }
        }
        default -> v = readAtom();
      }
      // a complete value: hand it to the innermost open frame
      for (; ; ) {
        if (depth == 0) {
          return v;
        }
        Frame f = stack[depth - 1];
        if (f.kind == DISCARD) {
          depth--;
          break;
        } else if (f.kind == TAG) {
          depth--;
          v = applyTag(f, v);
        } else {
          if (f.count == f.items.length) {
            f.items = Arrays.copyOf(f.items, f.count * 2);
          }
          f.items[f.count++] = v;
          break;
        }
      }
    }
  }

  private void push(int kind, int start, String tag) {
    if (depth >= maxDepth) {
      throw error(
          "edn/too-deep",
          start,
          "at most " + maxDepth + " nested forms",
          "deeper nesting",
          Map.of("max-depth", maxDepth));
    }
    if (depth == stack.length) {
      stack = Arrays.copyOf(stack, depth * 2);
    }
    Frame f = stack[depth];
    if (f == null) {
      f = stack[depth] = new Frame();
    }
    f.kind = kind;
    f.start = start;
    f.tag = tag;
    f.count = 0;
    if (kind <= SET && f.items == null) {
      f.items = new Object[16];
    }
    depth++;
  }

  private Object close(char c) {
    if (depth == 0) {
      throw error("edn/unexpected-close", pos, "a form", "'" + c + "' with nothing open");
    }
    Frame f = stack[depth - 1];
    char want =
        switch (f.kind) {
          case VECTOR -> ']';
          case LIST -> ')';
          case MAP, SET -> '}';
          default -> 0;
        };
    if (want == 0) {
      throw error("edn/missing-form", pos, "a form after " + frameName(f) + " at " + lineCol(f.start), "'" + c + "'");
    }
    if (c != want) {
      throw error(
          "edn/mismatched-close",
          pos,
          "'" + want + "' to close the " + frameName(f) + " opened at " + lineCol(f.start),
          "'" + c + "'");
    }
    depth--;
    Object[] items = f.items;
    int n = f.count;
    f.count = 0;
    if (n > 4096) {
      f.items = null; // a big buffer is not worth keeping for the next frame at this depth
    }
    return switch (f.kind) {
      case VECTOR -> Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(items, n)));
      case LIST -> EdnList.wrap(Arrays.copyOf(items, n));
      case MAP -> buildMap(f, items, n);
      default -> buildSet(f, items, n);
    };
  }

  private Map<Object, Object> buildMap(Frame f, Object[] items, int n) {
    if ((n & 1) != 0) {
      throw error(
          "edn/odd-map",
          f.start,
          "an even number of forms in the map (a value for every key)",
          n + " forms");
    }
    int pairs = n / 2;
    if (pairs > InputBounds.MAX_EQUAL_HASHES) {
      refuseFlooding(f, items, pairs, 2, "map keys");
    }
    if (pairs <= SmallMap.MAX) {
      for (int i = 2; i < n; i += 2) {
        Object k = items[i];
        if (k instanceof Keyword) { // interned: equal only to itself, no equals call per pair
          for (int j = 0; j < i; j += 2) {
            if (items[j] == k) {
              throw duplicateKey(f, k);
            }
          }
          continue;
        }
        for (int j = 0; j < i; j += 2) {
          Object o = items[j];
          if (o == k || k != null && k.equals(o)) {
            throw duplicateKey(f, k);
          }
        }
      }
      return new SmallMap(Arrays.copyOf(items, n));
    }
    LinkedHashMap<Object, Object> m = LinkedHashMap.newLinkedHashMap(pairs);
    for (int i = 0; i < n; i += 2) {
      Object k = items[i];
      int before = m.size();
      m.put(k, items[i + 1]); // one lookup: a repeated key leaves the size as it was
      if (m.size() == before) {
        throw duplicateKey(f, k);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  private DatahopException duplicateKey(Frame f, Object k) {
    return error("edn/duplicate-key", f.start, "distinct map keys", "the key " + Edn.write(k) + " twice");
  }

  /**
   * HashMap keeps colliding keys of one Comparable class in a tree, but colliding keys of mixed
   * classes or that are not Comparable degrade to linear scans: n crafted keys would cost n^2.
   */
  private void refuseFlooding(Frame f, Object[] items, int count, int stride, String what) {
    int run = InputBounds.equalHashes(items, 0, count, stride, InputBounds.MAX_EQUAL_HASHES);
    if (run > InputBounds.MAX_EQUAL_HASHES) {
      throw error(
          "edn/colliding-keys",
          f.start,
          "at most " + InputBounds.MAX_EQUAL_HASHES + " " + what + " with one hash code",
          run + " " + what + " with one hash code",
          Map.of("max-equal-hashes", InputBounds.MAX_EQUAL_HASHES, "equal-hashes", run));
    }
  }

  private java.util.Set<Object> buildSet(Frame f, Object[] items, int n) {
    if (n > InputBounds.MAX_EQUAL_HASHES) {
      refuseFlooding(f, items, n, 1, "set elements");
    }
    LinkedHashSet<Object> set = LinkedHashSet.newLinkedHashSet(n);
    for (int i = 0; i < n; i++) {
      if (!set.add(items[i])) {
        throw error("edn/duplicate-element", f.start, "distinct set elements", Edn.write(items[i]) + " twice");
      }
    }
    return Collections.unmodifiableSet(set);
  }
  private Object applyTag(Frame f, Object v) {
    Function<Object, Object> fn = tags.get(f.tag);
    if (fn == null) {
      throw error(
          "edn/unknown-tag",
          f.start,
          "a known tag (" + String.join(", ", new java.util.TreeSet<>(tags.keySet()).stream().map(t -> "#" + t).toList()) + ")",
          "#" + f.tag,
          Map.of("tag", f.tag));
    }
    try {
      return fn.apply(v);
    } catch (DatahopException e) {
      throw e;
    } catch (RuntimeException e) {
      throw error(
          "edn/bad-tagged-value",
          f.start,
          "a valid value for #" + f.tag + " (" + e.getMessage() + ")",
          Edn.write(v),
          Map.of("tag", f.tag));
    }
  }

  private static String frameName(Frame f) {
    return switch (f.kind) {
      case VECTOR -> "vector";
      case LIST -> "list";
      case MAP -> "map";
      case SET -> "set";
      case TAG -> "#" + f.tag;
      default -> f.tag.equals("^") ? "metadata '^'" : "'#_'";
    };
  }

  private DatahopException unclosed(Frame f) {
    if (f.kind >= TAG) {
      return error("edn/eof", pos, "a form after " + frameName(f) + " at " + lineCol(f.start), "end of input");
    }
    char want = f.kind == VECTOR ? ']' : f.kind == LIST ? ')' : '}';
    return error(
        "edn/eof",
        pos,
        "'" + want + "' to close the " + frameName(f) + " opened at " + lineCol(f.start),
        "end of input");
  }

  private void skipWhitespace() {
    byte[] b = this.b;
    int i = pos;
    while (i < end) {
      int c = b[i];
      if ((CLASS[c & 0xFF] & WS) != 0) {
        i++;
      } else if (c == ';') {
        while (i < end && b[i] != '\n') {
          i++;
        }
      } else {
        break;
      }
    }
    pos = i;
  }

  private boolean isDelimiter(int i) {
    return (CLASS[b[i] & 0xFF] & DELIM) != 0;
  }

  /** Reads up to the next delimiter, starting at pos. */
  private String readToken() {
    int start = pos;
    while (pos < end && !isDelimiter(pos)) {
      pos++;
    }
    return src.decode(start, pos);
  }

  /**
   * Keywords read before, by the hash of their bytes: data repeats a few keywords many times
   * (every entity map names the same attributes), and a hit costs neither a String nor a
   * lookup in the interning table. Only keywords that passed the checks below get in.
   */
  private final Keyword[] keywordCache = new Keyword[256];

  /** The bytes (after the colon) each cached keyword was read from. */
  private final byte[][] keywordBytes = new byte[256][];

  private Object readAtom() {
    int start = pos;
    byte[] b = this.b;
    int c = b[start];
    if ((CLASS[c & 0xFF] & DIGIT) != 0
        || (c == '+' || c == '-') && start + 1 < end && (CLASS[b[start + 1] & 0xFF] & DIGIT) != 0) {
      return readNumber();
    }
    if (c != ':') {
      return readSymbolic(start);
    }
    int i = start + 1;
    int h = 0;
    while (i < end) {
      int x = b[i];
      if ((CLASS[x & 0xFF] & DELIM) != 0) {
        break;
      }
      h = 31 * h + x;
      i++;
    }
    int slot = (h ^ (h >>> 16)) & (keywordCache.length - 1);
    byte[] known = keywordBytes[slot];
    if (known != null && known.length == i - start - 1) {
      int j = 0;
      while (j < known.length && known[j] == b[start + 1 + j]) {
        j++;
      }
      if (j == known.length) {
        pos = i;
        return keywordCache[slot];
      }
    }
    Object v = readSymbolic(start);
    if (v instanceof Keyword kw) {
      keywordCache[slot] = kw;
      keywordBytes[slot] = Arrays.copyOfRange(b, start + 1, i);
    }
    return v;
  }

  /** A symbol, keyword, nil, true or false starting at {@code start} (== pos). */
  private Object readSymbolic(int start) {
    int c = b[start];
    String tok = readToken();
    switch (tok) {
      case "nil":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        break;
    }
    if (c == ':') {
      if (tok.length() == 1 || tok.charAt(1) == ':' || tok.endsWith("/") && tok.length() > 2) {
        throw error("edn/bad-keyword", start, "a keyword like :name or :ns/name", "'" + tok + "'");
      }
      checkSymbolChars(tok, 1, start);
      return Keyword.of(tok.substring(1));
    }
    if (c == '.' && tok.length() > 1 && Character.isDigit(tok.charAt(1))) {
      throw error("edn/bad-number", start, "a digit before the decimal point", "'" + tok + "'");
    }
    checkSymbolChars(tok, 0, start);
    return Symbol.of(tok);
  }

  private void checkSymbolChars(String tok, int from, int start) {
    for (int i = from; i < tok.length(); i++) {
      char c = tok.charAt(i);
      if (c < 128 ? (CLASS[c] & DIGIT) != 0 || (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : Character.isLetterOrDigit(c)) {
        continue;
      }
      switch (c) {
        case '.', '*', '+', '!', '-', '_', '?', '$', '%', '&', '=', '<', '>', '/', ':', '#', '\'' -> {}
        default ->
            throw error(
                "edn/bad-symbol",
                start + src.byteLength(tok, 0, i),
                "a symbol or keyword character (letters, digits, . * + ! - _ ? $ % & = < > / : # ')",
                "'" + c + "' in '" + tok + "'");
      }
    }
  }

  private Object readNumber() {
    byte[] b = this.b;
    int start = pos;
    int i = pos;
    boolean neg = false;
    int c = b[i];
    if (c == '+' || c == '-') {
      neg = c == '-';
      i++;
    }
    int digitsStart = i;
    while (i < end && (CLASS[b[i] & 0xFF] & DIGIT) != 0) {
      i++;
    }
    int digitsEnd = i;
    if (i >= end || isDelimiter(i)) {
      // the common case: a plain integer
      pos = i;
      int n = digitsEnd - digitsStart;
      if (n > 1 && b[digitsStart] == '0') {
        throw error("edn/bad-number", start, "an integer without leading zeros", "'" + src.decode(start, i) + "'");
      }
      if (n <= 18) {
        long v = 0;
        for (int j = digitsStart; j < digitsEnd; j++) {
          v = v * 10 + (b[j] - '0');
        }
        return neg ? -v : v;
      }
      if (n > maxDigits) {
        throw tooLarge(start, i, new EdnNumbers.TooLarge("edn/number-too-large", "a number of digits", n, maxDigits));
      }
      BigInteger big = new BigInteger(src.decode(start, i));
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (b[i] == '.' && digitsEnd > digitsStart) {
      Object d = simpleDecimal(neg, digitsStart, digitsEnd);
      if (d != null) {
        return d;
      }
    }
    pos = start;
    String tok = readToken();
    try {
      return EdnNumbers.parse(tok, maxDigits, maxScale);
    } catch (EdnNumbers.TooLarge e) {
      throw tooLarge(start, pos, e);
    } catch (NumberFormatException e) {
      throw error("edn/bad-number", start, "a number like 42, -7, 42N, 1.5, 1e3 or 1.5M", "'" + tok + "'");
    }
  }

  private DatahopException tooLarge(int start, int to, EdnNumbers.TooLarge e) {
    String head = src.decode(start, Math.min(to, start + 20)) + (to - start > 20 ? "…" : "");
    return error(
        e.code,
        start,
        "at most " + e.max + (e.code.equals("edn/scale-too-large") ? " as a decimal's scale (either sign)" : " digits"),
        e.what + " " + e.size + " ('" + head + "')",
        Map.of("size", e.size, "max", e.max));
  }

  private static final double[] POW10 = new double[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  /**
   * {@code digits.digits} followed by a delimiter, with at most 15 digits in all, or null for
   * anything else (exponents, suffixes, longer numbers): then both the digits as an integer and
   * the power of ten are exact doubles, and one division rounds correctly, exactly as
   * {@link Double#parseDouble} would.
   */
  private Object simpleDecimal(boolean neg, int intStart, int dot) {
    byte[] b = this.b;
    int i = dot + 1;
    while (i < end && (CLASS[b[i] & 0xFF] & DIGIT) != 0) {
      i++;
    }
    int fraction = i - dot - 1;
    if (fraction == 0 || (dot - intStart) + fraction > 15 || i < end && !isDelimiter(i)) {
      return null;
    }
    long m = 0;
    for (int j = intStart; j < i; j++) {
      if (j != dot) {
        m = m * 10 + (b[j] - '0');
      }
    }
    double v = m / POW10[fraction];
    pos = i;
    return neg ? -v : v;
  }

  private Object readSpecialFloat() {
    int start = pos;
    pos += 2;
    String tok = readToken();
    return switch (tok) {
      case "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> throw error("edn/bad-number", start, "##Inf, ##-Inf or ##NaN", "'##" + tok + "'");
    };
  }

  private String readString() {
    byte[] b = this.b;
    int start = pos;
    int i = pos + 1;
    // fast path: ASCII, no escapes
    while (i < end) {
      int c = b[i];
      if (c == '"') {
        pos = i + 1;
        return new String(b, start + 1, i - start - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      if (c == '\\' || c < 0) {
        break;
      }
      i++;
    }
    StringBuilder sb = null;
    int run = start + 1; // the bytes [run, i) are plain text not yet appended
    while (i < end) {
      int c = b[i];
      if (c == '"') {
        pos = i + 1;
        String tail = src.decode(run, i);
        return sb == null ? tail : sb.append(tail).toString();
      }
      if (c != '\\') {
        i++;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(i - start + 16);
      }
      sb.append(src.decode(run, i));
      if (i + 1 >= end) {
        break;
      }
      int e = b[i + 1];
      i += 2;
      switch (e) {
        case 't' -> sb.append('\t');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '\'' -> sb.append('\'');
        case 'u' -> {
          sb.append((char) hex4(i, i - 2));
          i += 4;
        }
        default ->
            throw error(
                "edn/bad-escape",
                i - 2,
                "an escape \\t \\n \\r \\b \\f \\\" \\\\ or \\uXXXX",
                "'\\" + src.charAt(i - 1) + "'");
      }
      run = i;
    }
    throw error("edn/eof", end, "'\"' to close the string opened at " + lineCol(start), "end of input");
  }

  /** Four hex digits at byte {@code i} (a \\u escape in a string). */
  private int hex4(int i, int errPos) {
    if (i + 4 > end) {
      throw error("edn/bad-escape", errPos, "four hex digits after \\u", "end of input");
    }
    int cp = 0;
    for (int j = i; j < i + 4; j++) {
      int d = b[j] < 0 ? -1 : Character.digit(b[j], 16);
      if (d < 0) {
        throw error("edn/bad-escape", errPos, "four hex digits after \\u", "'" + src.charsFrom(i, 4) + "'");
      }
      cp = cp * 16 + d;
    }
    return cp;
  }

  private Character readChar() {
    int start = pos;
    if (pos + 1 >= end || Character.isWhitespace(src.charAt(pos + 1))) {
      throw error("edn/bad-char", start, "a character after '\\'", pos + 1 >= end ? "end of input" : "whitespace");
    }
    pos += 2;
    while (pos < end && !isDelimiter(pos)) {
      pos++;
    }
    String tok = src.decode(start + 1, pos);
    if (tok.length() == 1) {
      return tok.charAt(0);
    }
    switch (tok) {
      case "newline":
        return '\n';
      case "space":
        return ' ';
      case "tab":
        return '\t';
      case "return":
        return '\r';
      case "formfeed":
        return '\f';
      case "backspace":
        return '\b';
      default:
        break;
    }
    if (tok.length() == 5 && tok.charAt(0) == 'u') {
      int cp = 0;
      for (int j = 1; j < 5; j++) {
        int d = Character.digit(tok.charAt(j), 16);
        if (d < 0) {
          throw error("edn/bad-escape", start, "four hex digits after \\u", "'" + tok.substring(1) + "'");
        }
        cp = cp * 16 + d;
      }
      return (char) cp;
    }
    throw error(
        "edn/bad-char",
        start,
        "a character like \\a, \\newline, \\space, \\tab, \\return or \\uXXXX",
        "'\\" + tok + "'");
  }

  private String describe(int at) {
    if (at >= end) {
      return "end of input";
    }
    return "'" + src.charAt(at) + "'";
  }

  /** "line L, column C" (1-based) of byte {@code at}. */
  String lineCol(int at) {
    long[] p = src.position(at);
    return "line " + p[0] + ", column " + p[1];
  }

  /** An error at byte {@code at}, reported in lines and chars. */
  DatahopException error(String code, int at, String expected, String found) {
    return error(code, at, expected, found, Map.of());
  }

  private DatahopException error(String code, int at, String expected, String found, Map<String, Object> extra) {
    long[] p = src.position(at);
    Map<String, Object> ctx = new LinkedHashMap<>(extra);
    ctx.put("line", p[0]);
    ctx.put("column", p[1]);
    ctx.put("offset", p[2]);
    ctx.put("expected", expected);
    ctx.put("found", found);
    String msg =
        "EDN error at line " + p[0] + ", column " + p[1] + ": expected " + expected + ", found " + found;
    return new DatahopException.Incorrect(code, msg, ctx, null);
  }
}
