package io.datahop.edn;

import io.datahop.DatahopException;
import io.datahop.db.Datom;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes Java values as EDN text, the inverse of {@link EdnParser}. Recursion is bounded by
 * {@link #MAX_DEPTH} so a cyclic or absurdly deep structure is an error, not a StackOverflowError.
 */
final class EdnPrinter {
  /** Twice the reader's default, so anything the reader accepts prints. */
  static final int MAX_DEPTH = 2 * EdnReader.DEFAULT_MAX_DEPTH;

  private EdnPrinter() {}

  static void print(Object v, StringBuilder sb) {
    print(v, sb, 0);
  }

  private static void print(Object v, StringBuilder sb, int depth) {
    if (depth > MAX_DEPTH) {
      throw new DatahopException.Incorrect(
          "edn/too-deep", "cannot write EDN nested deeper than " + MAX_DEPTH + " (a cyclic structure?)");
    }
    switch (v) {
      case null -> sb.append("nil");
      case String s -> printString(s, sb);
      case Keyword k -> sb.append(':').append(k.text());
      case Long l -> sb.append(l.longValue());
      case Boolean b -> sb.append(b.booleanValue());
      case Integer i -> sb.append(i.intValue());
      case Short i -> sb.append(i.shortValue());
      case Byte i -> sb.append(i.byteValue());
      case Double d -> printDouble(d, sb);
      case Float f -> printFloat(f, sb);
      case Symbol s -> sb.append(s.text());
      case BigInteger b -> sb.append(b).append('N');
      case BigDecimal b -> sb.append(b).append('M');
      case Character c -> printChar(c, sb);
      case EdnList l -> printSeq(l, '(', ')', sb, depth);
      case List<?> l -> printSeq(l, '[', ']', sb, depth);
      case Map<?, ?> m -> printMap(m, sb, depth);
      case Set<?> s -> {
        sb.append('#');
        printSeq(s, '{', '}', sb, depth);
      }
      case Collection<?> c -> printSeq(c, '[', ']', sb, depth);
      case Object[] a -> printSeq(java.util.Arrays.asList(a), '[', ']', sb, depth);
      case Instant i -> sb.append("#inst \"").append(i).append('"');
      case Date d -> sb.append("#inst \"").append(d.toInstant()).append('"');
      case UUID u -> sb.append("#uuid \"").append(u).append('"');
      case java.net.URI u -> {
        sb.append("#uri ");
        printString(u.toString(), sb);
      }
      case io.datahop.db.Tempid t -> sb.append("#db/id [").append(t.partition()).append(' ').append(t.index()).append(']');
      case byte[] b -> sb.append("#bytes \"").append(Base64.getEncoder().encodeToString(b)).append('"');
      case Datom d -> {
        sb.append("#datom [").append(d.e()).append(' ').append(d.a()).append(' ');
        print(d.v(), sb, depth + 1);
        sb.append(' ').append(d.tx()).append(' ').append(d.added()).append(']');
      }
      default ->
          throw new DatahopException.Incorrect(
              "edn/unprintable",
              "no EDN form for a value of type " + v.getClass().getName(),
              Map.of("type", v.getClass().getName()),
              null);
    }
  }

  private static void printSeq(Collection<?> c, char open, char close, StringBuilder sb, int depth) {
    sb.append(open);
    Iterator<?> it = c.iterator();
    if (it.hasNext()) {
      print(it.next(), sb, depth + 1);
      while (it.hasNext()) {
        sb.append(' ');
        print(it.next(), sb, depth + 1);
      }
    }
    sb.append(close);
  }

  private static void printMap(Map<?, ?> m, StringBuilder sb, int depth) {
    sb.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      print(e.getKey(), sb, depth + 1);
      sb.append(' ');
      print(e.getValue(), sb, depth + 1);
    }
    sb.append('}');
  }

  private static void printDouble(double d, StringBuilder sb) {
    if (Double.isNaN(d)) {
      sb.append("##NaN");
    } else if (Double.isInfinite(d)) {
      sb.append(d > 0 ? "##Inf" : "##-Inf");
    } else {
      // Double.toString always has a '.' or an 'E' ("1.0", "1.0E10"), so it reads back as a double
      sb.append(d);
    }
  }

  private static void printFloat(float f, StringBuilder sb) {
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      printDouble(f, sb);
    } else {
      sb.append(f);
    }
  }

  static void printString(String s, StringBuilder sb) {
    sb.append('"');
    int n = s.length();
    int run = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
        continue;
      }
      sb.append(s, run, i);
      run = i + 1;
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> appendUnicodeEscape(c, sb);
      }
    }
    sb.append(s, run, n).append('"');
  }

  private static void appendUnicodeEscape(char c, StringBuilder sb) {
    String hex = Integer.toHexString(c);
    sb.append("\\u");
    for (int k = hex.length(); k < 4; k++) {
      sb.append('0');
    }
    sb.append(hex);
  }

  private static void printChar(char c, StringBuilder sb) {
    switch (c) {
      case '\n' -> sb.append("\\newline");
      case ' ' -> sb.append("\\space");
      case '\t' -> sb.append("\\tab");
      case '\r' -> sb.append("\\return");
      case '\f' -> sb.append("\\formfeed");
      case '\b' -> sb.append("\\backspace");
      default -> {
        if (c < 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isSurrogate(c)
            || Character.isSpaceChar(c)) {
          appendUnicodeEscape(c, sb);
        } else {
          sb.append('\\').append(c);
        }
      }
    }
  }

  /** Multi-line form: a collection that does not fit in {@code width} puts one item per line. */
  static String pretty(Object v, int width) {
    StringBuilder sb = new StringBuilder();
    pretty(v, sb, 0, width);
    return sb.toString();
  }

  private static void pretty(Object v, StringBuilder sb, int indent, int width) {
    StringBuilder flat = new StringBuilder();
    print(v, flat);
    boolean coll = v instanceof Collection<?> || v instanceof Map<?, ?>;
    if (!coll || indent + flat.length() <= width) {
      sb.append(flat);
      return;
    }
    String open;
    char close;
    if (v instanceof Map<?, ?> m) {
      sb.append('{');
      String pad = "\n" + " ".repeat(indent + 1);
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(pad);
        }
        first = false;
        int before = sb.length();
        pretty(e.getKey(), sb, indent + 1, width);
        sb.append(' ');
        int keyWidth = sb.length() - before;
        pretty(e.getValue(), sb, indent + 1 + keyWidth, width);
      }
      sb.append('}');
      return;
    }
    if (v instanceof EdnList) {
      open = "(";
      close = ')';
    } else if (v instanceof Set<?>) {
      open = "#{";
      close = '}';
    } else {
      open = "[";
      close = ']';
    }
    sb.append(open);
    int inner = indent + open.length();
    String pad = "\n" + " ".repeat(inner);
    boolean first = true;
    for (Object o : (Collection<?>) v) {
      if (!first) {
        sb.append(pad);
      }
      first = false;
      pretty(o, sb, inner, width);
    }
    sb.append(close);
  }
}
