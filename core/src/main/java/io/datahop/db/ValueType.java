package io.datahop.db;

import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The {@code :db.type/*} idents and which Java values each accepts. */
final class ValueType {
  private ValueType() {}

  static final Keyword STRING = Keyword.of("db.type/string");
  static final Keyword LONG = Keyword.of("db.type/long");
  static final Keyword DOUBLE = Keyword.of("db.type/double");
  static final Keyword FLOAT = Keyword.of("db.type/float");
  static final Keyword BOOLEAN = Keyword.of("db.type/boolean");
  static final Keyword KEYWORD = Keyword.of("db.type/keyword");
  static final Keyword SYMBOL = Keyword.of("db.type/symbol");
  static final Keyword UUID_T = Keyword.of("db.type/uuid");
  static final Keyword UUID = UUID_T;
  static final Keyword INSTANT = Keyword.of("db.type/instant");
  static final Keyword BIGINT = Keyword.of("db.type/bigint");
  static final Keyword BIGDEC = Keyword.of("db.type/bigdec");
  static final Keyword REF = Keyword.of("db.type/ref");
  static final Keyword BYTES = Keyword.of("db.type/bytes");
  static final Keyword TUPLE = Keyword.of("db.type/tuple");
  /** A {@link java.net.URI}, as Datomic's {@code :db.type/uri}. */
  static final Keyword URI = Keyword.of("db.type/uri");

  static final Set<Keyword> ALL =
      Set.of(STRING, LONG, DOUBLE, FLOAT, BOOLEAN, KEYWORD, SYMBOL, UUID_T, INSTANT, BIGINT, BIGDEC,
          REF, BYTES, TUPLE, URI);

  /**
   * The stored form of a value a transaction gives for an attribute of {@code type}, or {@code
   * null} when it does not fit. Stricter than {@link #coerce}, as Datomic's transactor (checked
   * against Datomic 1.0.7622 by bench's differential test): no number changes kind, so a long is
   * not a double, a bigdec or a bigint, a double is not a bigdec, and a bigint is not a long; only
   * Java's narrower forms of the same kind widen (Integer, Short, Byte to long; Float to double)
   * and a double fits a float attribute, as Datomic takes it.
   */
  static Object coerceTx(Keyword type, Object v) {
    if (type == LONG) {
      if (v instanceof Long) return v;
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
      return null;
    }
    if (type == DOUBLE) {
      if (v instanceof Double) return v;
      if (v instanceof Float f) return f.doubleValue();
      return null;
    }
    if (type == BIGINT) return v instanceof BigInteger ? v : null;
    if (type == BIGDEC) return v instanceof BigDecimal ? v : null;
    return coerce(type, v);
  }

  /**
   * Converts {@code v} to the stored form of {@code type}, or returns {@code null} when it does not
   * fit: the lenient form for reads (a lookup, a query constant), where a value that cannot be
   * stored simply matches nothing. Integral Java numbers widen to long; a float or double
   * attribute takes any number that is exactly representable; refs are handled by the
   * transactor, not here.
   */
  static Object coerce(Keyword type, Object v) {
    if (type == STRING) return v instanceof String ? v : null;
    if (type == LONG || type == REF) {
      if (v instanceof Long) return v;
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
      if (v instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
      return null;
    }
    if (type == KEYWORD) return v instanceof Keyword ? v : null;
    if (type == BOOLEAN) return v instanceof Boolean ? v : null;
    if (type == DOUBLE) {
      if (v instanceof Double) return v;
      if (v instanceof Float f) return f.doubleValue();
      if (v instanceof Integer i) return i.doubleValue();
      if (v instanceof Long l && (long) (double) l == l) return l.doubleValue();
      return null;
    }
    if (type == FLOAT) {
      if (v instanceof Float) return v;
      if (v instanceof Double d && (double) d.floatValue() == d) return d.floatValue();
      if (v instanceof Double d) return d.floatValue();
      return null;
    }
    if (type == INSTANT) {
      if (v instanceof Instant) return v;
      if (v instanceof java.util.Date d) return d.toInstant();
      return null;
    }
    if (type == UUID_T) return v instanceof UUID ? v : null;
    if (type == SYMBOL) return v instanceof Symbol ? v : null;
    if (type == BIGINT) {
      if (v instanceof BigInteger) return v;
      if (v instanceof Long l) return BigInteger.valueOf(l);
      if (v instanceof Integer i) return BigInteger.valueOf(i);
      return null;
    }
    if (type == BIGDEC) {
      if (v instanceof BigDecimal) return v;
      if (v instanceof Long l) return BigDecimal.valueOf(l);
      if (v instanceof Double d) return BigDecimal.valueOf(d);
      return null;
    }
    if (type == BYTES) return v instanceof byte[] ? v : null;
    // a URI only: a string is not one (as Datomic's :db.error/wrong-type-for-attribute)
    if (type == URI) return v instanceof java.net.URI ? v : null;
    if (type == TUPLE) return v instanceof List<?> ? Values.normalize(v) : null;
    return null;
  }
}
