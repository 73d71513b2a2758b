package io.datahop.edn;

import io.datahop.DatahopException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One pass over one EDN text.
 *
 * <p>Implementation notes: the parser is iterative, with an explicit stack of open frames
 * (collections, tagged literals awaiting their value, {@code #_} and {@code ^meta} awaiting the
 * form they drop), so hostile nesting can never overflow the thread stack; depth is bounded by
 * {@code maxDepth} to bound memory and keep the recursive printer safe. Line and column are
 * computed from the offset only when an error is raised, so the hot path tracks nothing but an
 * index into the String.
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

  private final String s;
  private final int len;
  private final Map<String, Function<Object, Object>> tags;
  private final int maxDepth;
  private int pos;

  private Frame[] stack = new Frame[16];
  private int depth;

  private static final class Frame {
    int kind;
    int start;
    String tag;
    ArrayList<Object> items;
  }

  EdnParser(String text, Map<String, Function<Object, Object>> tags, int maxDepth) {
    this.s = text;
    this.len = text.length();
    this.tags = tags;
    this.maxDepth = maxDepth;
  }

  int position() {
    return pos;
  }

  /** The next top-level form, or {@link #EOF}. */
  Object next() {
    for (; ; ) {
      skipWhitespace();
      if (pos >= len) {
        if (depth > 0) {
          throw unclosed(stack[depth - 1]);
        }
        return EOF;
      }
      char c = s.charAt(pos);
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
          v = close(c);
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
          if (pos + 1 >= len) {
            throw error("edn/eof", pos, "expected a dispatch character after '#'", "end of input");
          }
          char d = s.charAt(pos + 1);
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
          } else if (Character.isLetter(d)) {
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
          f.items.add(v);
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
      stack = java.util.Arrays.copyOf(stack, depth * 2);
    }
    Frame f = stack[depth];
    if (f == null) {
      f = stack[depth] = new Frame();
    }
    f.kind = kind;
    f.start = start;
    f.tag = tag;
    f.items = kind <= SET ? new ArrayList<>() : null;
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
    ArrayList<Object> items = f.items;
    f.items = null;
    return switch (f.kind) {
      case VECTOR -> Collections.unmodifiableList(items);
      case LIST -> EdnList.wrap(items.toArray());
      case MAP -> buildMap(f, items);
      default -> buildSet(f, items);
    };
  }

  private Map<Object, Object> buildMap(Frame f, List<Object> items) {
    if ((items.size() & 1) != 0) {
      throw error(
          "edn/odd-map",
          f.start,
          "an even number of forms in the map (a value for every key)",
          items.size() + " forms");
    }
    int pairs = items.size() / 2;
    if (pairs <= SmallMap.MAX) {
      SmallMap.Node[] nodes = new SmallMap.Node[pairs];
      for (int i = 0; i < pairs; i++) {
        Object k = items.get(2 * i);
        for (int j = 0; j < i; j++) {
          Object o = nodes[j].key;
          if (o == k || k != null && k.equals(o)) {
            throw duplicateKey(f, k);
          }
        }
        nodes[i] = new SmallMap.Node(k, items.get(2 * i + 1));
      }
      return new SmallMap(nodes);
    }
    LinkedHashMap<Object, Object> m = LinkedHashMap.newLinkedHashMap(pairs);
    for (int i = 0; i < items.size(); i += 2) {
      Object k = items.get(i);
      int before = m.size();
      m.put(k, items.get(i + 1)); // one lookup: a repeated key leaves the size as it was
      if (m.size() == before) {
        throw duplicateKey(f, k);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  private DatahopException duplicateKey(Frame f, Object k) {
    return error("edn/duplicate-key", f.start, "distinct map keys", "the key " + Edn.write(k) + " twice");
  }

  private java.util.Set<Object> buildSet(Frame f, List<Object> items) {
    LinkedHashSet<Object> set = LinkedHashSet.newLinkedHashSet(items.size());
    for (Object o : items) {
      if (!set.add(o)) {
        throw error("edn/duplicate-element", f.start, "distinct set elements", Edn.write(o) + " twice");
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
    while (pos < len) {
      char c = s.charAt(pos);
      if (c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
        pos++;
      } else if (c == ';') {
        while (pos < len && s.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private static boolean isDelimiter(char c) {
    return switch (c) {
      case ' ', ',', '\n', '\t', '\r', '\f', '(', ')', '[', ']', '{', '}', '"', ';', '\\', '^' -> true;
      default -> false;
    };
  }

  /** Reads chars up to the next delimiter, starting at pos. */
  private String readToken() {
    int start = pos;
    while (pos < len && !isDelimiter(s.charAt(pos))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  /**
   * Keywords read before, by the hash of their text: data repeats a few keywords many times
   * (every entity map names the same attributes), and a hit costs neither a substring nor a
   * lookup in the interning table. Only keywords that passed the checks below get in.
   */
  private final Keyword[] keywordCache = new Keyword[256];

  private Object readAtom() {
    int start = pos;
    char c = s.charAt(pos);
    if (c >= '0' && c <= '9'
        || (c == '+' || c == '-') && pos + 1 < len && s.charAt(pos + 1) >= '0' && s.charAt(pos + 1) <= '9') {
      return readNumber();
    }
    if (c == ':') {
      int end = start + 1;
      int h = 0;
      while (end < len && !isDelimiter(s.charAt(end))) {
        h = 31 * h + s.charAt(end++);
      }
      int slot = (h ^ (h >>> 16)) & (keywordCache.length - 1);
      Keyword k = keywordCache[slot];
      if (k != null && k.text().length() == end - start - 1 && s.regionMatches(start + 1, k.text(), 0, end - start - 1)) {
        pos = end;
        return k;
      }
      Object v = readSymbolic(start);
      if (v instanceof Keyword kw) {
        keywordCache[slot] = kw;
      }
      return v;
    }
    return readSymbolic(start);
  }

  /** A symbol, keyword, nil, true or false starting at {@code start} (== pos). */
  private Object readSymbolic(int start) {
    char c = s.charAt(start);
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
      if (Character.isLetterOrDigit(c)) {
        continue;
      }
      switch (c) {
        case '.', '*', '+', '!', '-', '_', '?', '$', '%', '&', '=', '<', '>', '/', ':', '#', '\'' -> {}
        default ->
            throw error(
                "edn/bad-symbol",
                start + i,
                "a symbol or keyword character (letters, digits, . * + ! - _ ? $ % & = < > / : # ')",
                "'" + c + "' in '" + tok + "'");
      }
    }
  }

  private Object readNumber() {
    int start = pos;
    int i = pos;
    boolean neg = false;
    char c = s.charAt(i);
    if (c == '+' || c == '-') {
      neg = c == '-';
      i++;
    }
    int digitsStart = i;
    while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    int digitsEnd = i;
    if (i >= len || isDelimiter(s.charAt(i))) {
      // the common case: a plain integer
      pos = i;
      int n = digitsEnd - digitsStart;
      if (n > 1 && s.charAt(digitsStart) == '0') {
        throw error("edn/bad-number", start, "an integer without leading zeros", "'" + s.substring(start, i) + "'");
      }
      if (n <= 18) {
        long v = 0;
        for (int j = digitsStart; j < digitsEnd; j++) {
          v = v * 10 + (s.charAt(j) - '0');
        }
        return neg ? -v : v;
      }
      BigInteger b = new BigInteger(s.substring(start, i));
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (s.charAt(i) == '.' && digitsEnd > digitsStart) {
      Object d = simpleDecimal(neg, digitsStart, digitsEnd);
      if (d != null) {
        return d;
      }
    }
    pos = start;
    String tok = readToken();
    try {
      return parseNumberToken(tok);
    } catch (NumberFormatException e) {
      throw error("edn/bad-number", start, "a number like 42, -7, 42N, 1.5, 1e3 or 1.5M", "'" + tok + "'");
    }
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
    int i = dot + 1;
    while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    int fraction = i - dot - 1;
    if (fraction == 0 || (dot - intStart) + fraction > 15 || i < len && !isDelimiter(s.charAt(i))) {
      return null;
    }
    long m = 0;
    for (int j = intStart; j < i; j++) {
      if (j != dot) {
        m = m * 10 + (s.charAt(j) - '0');
      }
    }
    double v = m / POW10[fraction];
    pos = i;
    return neg ? -v : v;
  }

  private static Object parseNumberToken(String tok) {
    char last = tok.charAt(tok.length() - 1);
    if (last == 'N') {
      String body = tok.substring(0, tok.length() - 1);
      requireInteger(body);
      return new BigInteger(body);
    }
    if (last == 'M') {
      String body = tok.substring(0, tok.length() - 1);
      requireDecimal(body);
      return new BigDecimal(body);
    }
    int sign = tok.charAt(0) == '-' || tok.charAt(0) == '+' ? 1 : 0;
    if (tok.startsWith("0x", sign) || tok.startsWith("0X", sign)) {
      BigInteger b = new BigInteger(tok.substring(sign + 2), 16);
      if (tok.charAt(0) == '-') {
        b = b.negate();
      }
      return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }
    if (tok.indexOf('/') >= 0) {
      throw new NumberFormatException("ratios are not supported");
    }
    requireDecimal(tok);
    return Double.parseDouble(tok);
  }

  private static void requireInteger(String t) {
    int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    if (i >= t.length()) {
      throw new NumberFormatException(t);
    }
    for (; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        throw new NumberFormatException(t);
      }
    }
  }

  /** [+-]? digits ( . digits* )? ( [eE] [+-]? digits )? — Double.parseDouble alone accepts more. */
  private static void requireDecimal(String t) {
    int i = t.startsWith("-") || t.startsWith("+") ? 1 : 0;
    int n = t.length();
    int d0 = i;
    while (i < n && Character.isDigit(t.charAt(i)) && t.charAt(i) < 128) {
      i++;
    }
    if (i == d0) {
      throw new NumberFormatException(t);
    }
    if (i < n && t.charAt(i) == '.') {
      i++;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int e0 = i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
      }
      if (i == e0) {
        throw new NumberFormatException(t);
      }
    }
    if (i != n) {
      throw new NumberFormatException(t);
    }
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
    int start = pos;
    int i = pos + 1;
    // fast path: no escapes
    while (i < len) {
      char c = s.charAt(i);
      if (c == '"') {
        pos = i + 1;
        return s.substring(start + 1, i);
      }
      if (c == '\\') {
        break;
      }
      i++;
    }
    StringBuilder sb = new StringBuilder(i - start + 16);
    sb.append(s, start + 1, i);
    while (i < len) {
      char c = s.charAt(i);
      if (c == '"') {
        pos = i + 1;
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= len) {
        break;
      }
      char e = s.charAt(i + 1);
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
          int cp = hex4(i, i - 2);
          sb.append((char) cp);
          i += 4;
        }
        default ->
            throw error(
                "edn/bad-escape",
                i - 2,
                "an escape \\t \\n \\r \\b \\f \\\" \\\\ or \\uXXXX",
                "'\\" + e + "'");
      }
    }
    throw error("edn/eof", len, "'\"' to close the string opened at " + lineCol(start), "end of input");
  }

  private int hex4(int i, int errPos) {
    if (i + 4 > len) {
      throw error("edn/bad-escape", errPos, "four hex digits after \\u", "end of input");
    }
    int cp = 0;
    for (int j = i; j < i + 4; j++) {
      int d = Character.digit(s.charAt(j), 16);
      if (d < 0) {
        throw error("edn/bad-escape", errPos, "four hex digits after \\u", "'" + s.substring(i, i + 4) + "'");
      }
      cp = cp * 16 + d;
    }
    return cp;
  }

  private Character readChar() {
    int start = pos;
    if (pos + 1 >= len || Character.isWhitespace(s.charAt(pos + 1))) {
      throw error("edn/bad-char", start, "a character after '\\'", pos + 1 >= len ? "end of input" : "whitespace");
    }
    pos += 2;
    while (pos < len && !isDelimiter(s.charAt(pos))) {
      pos++;
    }
    String tok = s.substring(start + 1, pos);
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
      return (char) hex4(start + 2, start);
    }
    throw error(
        "edn/bad-char",
        start,
        "a character like \\a, \\newline, \\space, \\tab, \\return or \\uXXXX",
        "'\\" + tok + "'");
  }

  private String describe(int at) {
    if (at >= len) {
      return "end of input";
    }
    return "'" + s.charAt(at) + "'";
  }

  /** "line L, column C" (1-based) of offset {@code at}. */
  String lineCol(int at) {
    int[] lc = lineAndColumn(at);
    return "line " + lc[0] + ", column " + lc[1];
  }

  private int[] lineAndColumn(int at) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(at, len);
    for (int i = 0; i < end; i++) {
      if (s.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, end - lineStart + 1};
  }

  DatahopException error(String code, int at, String expected, String found) {
    return error(code, at, expected, found, Map.of());
  }

  private DatahopException error(String code, int at, String expected, String found, Map<String, Object> extra) {
    int[] lc = lineAndColumn(at);
    Map<String, Object> ctx = new LinkedHashMap<>(extra);
    ctx.put("line", (long) lc[0]);
    ctx.put("column", (long) lc[1]);
    ctx.put("offset", (long) at);
    ctx.put("expected", expected);
    ctx.put("found", found);
    String msg =
        "EDN error at line " + lc[0] + ", column " + lc[1] + ": expected " + expected + ", found " + found;
    return new DatahopException.Incorrect(code, msg, ctx, null);
  }
}
