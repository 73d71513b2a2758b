package io.datahop.db;

import io.datahop.DatahopException;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The total order, equality and coercion of datom values. Values of different types order by a
 * fixed type rank first (so schema-on-read databases with mixed types still sort), then by value:
 * numbers numerically, strings by UTF-16 code units, byte arrays unsigned-lexicographically,
 * tuples element-wise with a shorter prefix first.
 */
final class Values {
  private Values() {}

  /** Sentinels that sort below and above every value; used only as range bounds. */
  static final Object MIN = new Object() {
    @Override
    public String toString() {
      return "<min>";
    }
  };

  static final Object MAX = new Object() {
    @Override
    public String toString() {
      return "<max>";
    }
  };

  // type tags: also the byte written by DatomCodec, so never renumber
  static final int T_BOOLEAN = 1;
  static final int T_LONG = 2;
  static final int T_DOUBLE = 3;
  static final int T_FLOAT = 4;
  static final int T_BIGINT = 5;
  static final int T_BIGDEC = 6;
  static final int T_INSTANT = 7;
  static final int T_UUID = 8;
  static final int T_STRING = 9;
  static final int T_KEYWORD = 10;
  static final int T_SYMBOL = 11;
  static final int T_BYTES = 12;
  static final int T_TUPLE = 13;
  static final int T_NIL = 14; // only inside tuples
  static final int T_URI = 15; // the last a datom's 4-bit tag holds

  static int typeTag(Object v) {
    if (v instanceof Long) return T_LONG;
    if (v instanceof String) return T_STRING;
    if (v instanceof Keyword) return T_KEYWORD;
    if (v instanceof Boolean) return T_BOOLEAN;
    if (v instanceof Double) return T_DOUBLE;
    if (v instanceof Instant) return T_INSTANT;
    if (v instanceof UUID) return T_UUID;
    if (v instanceof Float) return T_FLOAT;
    if (v instanceof BigInteger) return T_BIGINT;
    if (v instanceof BigDecimal) return T_BIGDEC;
    if (v instanceof Symbol) return T_SYMBOL;
    if (v instanceof byte[]) return T_BYTES;
    if (v instanceof List<?>) return T_TUPLE;
    if (v == null) return T_NIL;
    if (v instanceof java.net.URI) return T_URI;
    throw new DatahopException.Incorrect(
        "tx/unsupported-value",
        "values of type " + v.getClass().getName() + " cannot be stored: " + v,
        Map.of("value", String.valueOf(v), "type", v.getClass().getName()),
        null);
  }

  private static int rank(Object v) {
    if (v == MIN) return -1;
    if (v == MAX) return 100;
    return typeTag(v);
  }

  @SuppressWarnings("unchecked")
  static int compare(Object x, Object y) {
    if (x == y) return 0;
    if (x instanceof Long a && y instanceof Long b) return Long.compare(a, b);
    if (x instanceof String a && y instanceof String b) return a.compareTo(b);
    if (x instanceof Keyword a && y instanceof Keyword b) return a == b ? 0 : a.compareTo(b);
    int rx = rank(x), ry = rank(y);
    if (rx != ry) return Integer.compare(rx, ry);
    return switch (rx) {
      case T_BOOLEAN -> Boolean.compare((Boolean) x, (Boolean) y);
      case T_DOUBLE -> Double.compare((Double) x, (Double) y);
      case T_FLOAT -> Float.compare((Float) x, (Float) y);
      case T_BIGINT -> ((BigInteger) x).compareTo((BigInteger) y);
      case T_BIGDEC -> ((BigDecimal) x).compareTo((BigDecimal) y);
      case T_INSTANT -> ((Instant) x).compareTo((Instant) y);
      case T_UUID -> compareUuid((UUID) x, (UUID) y);
      case T_KEYWORD -> ((Keyword) x).compareTo((Keyword) y);
      case T_SYMBOL -> ((Symbol) x).compareTo((Symbol) y);
      case T_BYTES -> Arrays.compareUnsigned((byte[]) x, (byte[]) y);
      case T_TUPLE -> compareTuples((List<Object>) x, (List<Object>) y);
      // java.net.URI's own order (its components, as Datomic sorts them: http://a.org/y first)
      case T_URI -> ((java.net.URI) x).compareTo((java.net.URI) y);
      default -> 0; // nil vs nil, MIN vs MIN, MAX vs MAX
    };
  }

  private static int compareUuid(UUID a, UUID b) {
    // unsigned, so the order matches the bytes on disk (UUID.compareTo is signed)
    int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  private static int compareTuples(List<Object> a, List<Object> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compare(a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  static boolean equal(Object x, Object y) {
    if (x == y) return true;
    if (x == null || y == null) return false;
    if (x instanceof byte[] a && y instanceof byte[] b) return Arrays.equals(a, b);
    if (x instanceof List<?> a && y instanceof List<?> b) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) if (!equal(a.get(i), b.get(i))) return false;
      return true;
    }
    if (x instanceof BigDecimal a && y instanceof BigDecimal b) return a.compareTo(b) == 0;
    return x.equals(y);
  }

  static int hash(Object v) {
    if (v instanceof byte[] b) return Arrays.hashCode(b);
    if (v instanceof List<?> l) {
      int h = 1;
      for (Object o : l) h = 31 * h + hash(o);
      return h;
    }
    if (v instanceof BigDecimal d) return d.stripTrailingZeros().hashCode();
    return v == null ? 0 : v.hashCode();
  }

  /** Widens Java numeric and date types to the stored forms (Integer to Long, Date to Instant). */
  static Object normalize(Object v) {
    if (v instanceof Integer i) return (long) i;
    if (v instanceof Short s) return (long) s;
    if (v instanceof Byte b) return (long) b;
    if (v instanceof Date d) return d.toInstant();
    if (v instanceof List<?> l) {
      Object[] out = new Object[l.size()];
      for (int i = 0; i < out.length; i++) out[i] = normalize(l.get(i));
      return Arrays.asList(out);
    }
    return v;
  }

  /** The value type keyword for a value, as schema-on-read infers it. */
  static Keyword inferType(Object v) {
    return switch (typeTag(v)) {
      case T_BOOLEAN -> ValueType.BOOLEAN;
      case T_LONG -> ValueType.LONG;
      case T_DOUBLE -> ValueType.DOUBLE;
      case T_FLOAT -> ValueType.FLOAT;
      case T_BIGINT -> ValueType.BIGINT;
      case T_BIGDEC -> ValueType.BIGDEC;
      case T_INSTANT -> ValueType.INSTANT;
      case T_UUID -> ValueType.UUID;
      case T_STRING -> ValueType.STRING;
      case T_KEYWORD -> ValueType.KEYWORD;
      case T_SYMBOL -> ValueType.SYMBOL;
      case T_BYTES -> ValueType.BYTES;
      case T_URI -> ValueType.URI;
      default -> ValueType.TUPLE;
    };
  }
}
