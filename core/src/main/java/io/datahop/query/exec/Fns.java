package io.datahop.query.exec;

import io.datahop.db.Attribute;
import io.datahop.db.Datom;
import io.datahop.db.Db;
import io.datahop.db.IndexType;
import io.datahop.db.Log;
import io.datahop.db.LogEntry;
import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions and predicates of {@code :where}: Datomic's documented built-ins (with Clojure
 * semantics) plus those registered from Java. Names resolve with or without the {@code
 * clojure.core/} namespace; {@code clojure.string/} functions also answer to {@code str/}.
 */
public final class Fns {
  private static final Map<String, Fn> BUILTIN = new ConcurrentHashMap<>();
  private static final Map<String, Fn> USER = new ConcurrentHashMap<>();

  private Fns() {}

  /** Looks up a function by symbol, or {@code null}. */
  public static Fn lookup(Symbol sym) {
    String key = key(sym);
    Fn f = USER.get(key);
    return f != null ? f : BUILTIN.get(key);
  }

  /** Registers (or replaces) a user function. */
  public static void register(Symbol sym, Fn fn) {
    USER.put(key(sym), fn);
  }

  /** Removes a user function. */
  public static void unregister(Symbol sym) {
    USER.remove(key(sym));
  }

  static String key(Symbol s) {
    if (s.namespace() == null || s.namespace().equals("clojure.core")) {
      return s.name();
    }
    if (s.namespace().equals("str") || s.namespace().equals("string")) {
      return "clojure.string/" + s.name();
    }
    return s.text();
  }

  static void def(String name, int min, int max, Fn.Body body) {
    BUILTIN.put(name, new Fn(name, min, max, body));
  }

  private static void cmp(String name, java.util.function.IntPredicate ok) {
    def(
        name,
        1,
        -1,
        a -> {
          for (int i = 0; i + 1 < a.length; i++) {
            if (!ok.test(QueryOrder.compare(a[i], a[i + 1]))) {
              return false;
            }
          }
          return true;
        });
  }

  private static Number fold(char op, Object[] a, String name, Number unit) {
    if (a.length == 0) {
      return unit;
    }
    Number acc = Values.num(a[0], name);
    if (a.length == 1) {
      return op == '-' ? Values.arith('-', 0L, acc) : op == '/' ? Values.arith('/', 1L, acc) : acc;
    }
    for (int i = 1; i < a.length; i++) {
      acc = Values.arith(op, acc, Values.num(a[i], name));
    }
    return acc;
  }

  /** A BigInteger or BigDecimal operand without a double: Clojure keeps the big type. */
  private static boolean big(Number x, Number y) {
    boolean anyBig = x instanceof java.math.BigInteger || x instanceof java.math.BigDecimal
        || y instanceof java.math.BigInteger || y instanceof java.math.BigDecimal;
    return anyBig && !(x instanceof Double) && !(y instanceof Double);
  }

  /** quot (q), rem (r) and mod (m) on big numbers, as Clojure's. */
  private static Number bigDivide(Number x, Number y, char op) {
    String fn = op == 'q' ? "quot" : op == 'r' ? "rem" : "mod";
    return BigBounds.check(bigDivideChecked(BigBounds.check(x, fn), BigBounds.check(y, fn), op), fn);
  }

  private static Number bigDivideChecked(Number x, Number y, char op) {
    if (x instanceof java.math.BigDecimal || y instanceof java.math.BigDecimal) {
      java.math.BigDecimal a = Values.bigDec(x);
      java.math.BigDecimal b = Values.bigDec(y);
      java.math.BigDecimal q = a.divideToIntegralValue(b);
      if (op == 'q') {
        return q;
      }
      java.math.BigDecimal r = a.subtract(q.multiply(b));
      return op == 'm' && r.signum() != 0 && r.signum() != b.signum() ? r.add(b) : r;
    }
    java.math.BigInteger a = x instanceof java.math.BigInteger bi ? bi : java.math.BigInteger.valueOf(x.longValue());
    java.math.BigInteger b = y instanceof java.math.BigInteger bi ? bi : java.math.BigInteger.valueOf(y.longValue());
    return switch (op) {
      case 'q' -> a.divide(b);
      case 'r' -> a.remainder(b);
      default -> {
        java.math.BigInteger r = a.remainder(b);
        yield r.signum() != 0 && r.signum() != b.signum() ? r.add(b) : r;
      }
    };
  }

  private static long lng(Object o, String fn) {
    Number n = Values.num(o, fn);
    return n.longValue();
  }

  /** even? and odd? take integers only: (even? 2.0) fails, as in Clojure and Datomic. */
  private static long integer(Object o, String fn) {
    if (o instanceof Long || o instanceof Integer) {
      return ((Number) o).longValue();
    }
    if (o instanceof java.math.BigInteger b) {
      return b.testBit(0) ? 1 : 0;
    }
    throw new IllegalArgumentException(fn + ": argument must be an integer: " + Values.str(o));
  }

  /** Clojure's (.toString x) of a non-nil argument, as upper-case/lower-case/capitalize use. */
  private static String text(Object o, String fn) {
    if (o == null) {
      throw new NullPointerException(fn + " of nil");
    }
    return Values.str(o);
  }

  private static String string(Object o, String fn) {
    if (o instanceof String s) {
      return s;
    }
    throw new ClassCastException(fn + " expects a string, got " + Values.str(o));
  }

  private static Pattern regex(Object o) {
    return o instanceof Pattern p ? p : Pattern.compile(string(o, "regex"));
  }

  /** re-find, re-matches and re-seq take a compiled pattern only, as in Clojure. */
  private static Pattern pattern(Object o, String fn) {
    if (o instanceof Pattern p) {
      return p;
    }
    throw new ClassCastException(
        fn + " expects a pattern (see re-pattern), got " + (o == null ? "nil" : Values.str(o)));
  }

  private static Object groups(Matcher m) {
    if (m.groupCount() == 0) {
      return m.group();
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i <= m.groupCount(); i++) {
      out.add(m.group(i));
    }
    return java.util.Collections.unmodifiableList(out);
  }

  private static List<?> seq(Object o) {
    return switch (o) {
      case null -> List.of();
      case List<?> l -> l;
      case Collection<?> c -> new ArrayList<>(c);
      case String s -> s.chars().mapToObj(c -> (Object) (char) c).toList();
      case Map<?, ?> m -> new ArrayList<>(m.entrySet());
      default -> throw new ClassCastException("not a sequence: " + Values.str(o));
    };
  }

  static {
    cmp("<", c -> c < 0);
    cmp(">", c -> c > 0);
    cmp("<=", c -> c <= 0);
    cmp(">=", c -> c >= 0);
    def(
        "=",
        1,
        -1,
        a -> {
          for (int i = 1; i < a.length; i++) {
            if (!Values.eq(a[0], a[i])) {
              return false;
            }
          }
          return true;
        });
    def(
        "==",
        1,
        -1,
        a -> {
          for (int i = 1; i < a.length; i++) {
            if (Values.compareNumbers(Values.num(a[0], "=="), Values.num(a[i], "==")) != 0) {
              return false;
            }
          }
          return true;
        });
    Fn.Body ne =
        a -> {
          for (int i = 1; i < a.length; i++) {
            if (!Values.eq(a[0], a[i])) {
              return true;
            }
          }
          return false;
        };
    def("not=", 1, -1, ne);
    def("!=", 1, -1, ne);
    def("+", 0, -1, a -> fold('+', a, "+", 0L));
    def("*", 0, -1, a -> fold('*', a, "*", 1L));
    def("-", 1, -1, a -> fold('-', a, "-", 0L));
    // Datomic's query / takes two arguments or more ((/ 4) fails there)
    def("/", 2, -1, a -> fold('/', a, "/", 1L));
    def(
        "quot",
        2,
        2,
        a -> {
          Number x = Values.num(a[0], "quot");
          Number y = Values.num(a[1], "quot");
          if (big(x, y)) {
            return bigDivide(x, y, 'q');
          }
          if (x instanceof Double || y instanceof Double) {
            double q = x.doubleValue() / y.doubleValue();
            return q < 0 ? Math.ceil(q) : Math.floor(q);
          }
          return x.longValue() / y.longValue();
        });
    def(
        "rem",
        2,
        2,
        a -> {
          Number x = Values.num(a[0], "rem");
          Number y = Values.num(a[1], "rem");
          if (big(x, y)) {
            return bigDivide(x, y, 'r');
          }
          if (x instanceof Double || y instanceof Double) {
            return x.doubleValue() % y.doubleValue();
          }
          return x.longValue() % y.longValue();
        });
    def(
        "mod",
        2,
        2,
        a -> {
          Number x = Values.num(a[0], "mod");
          Number y = Values.num(a[1], "mod");
          if (big(x, y)) {
            return bigDivide(x, y, 'm');
          }
          if (x instanceof Double || y instanceof Double) {
            double m = x.doubleValue() % y.doubleValue();
            return (m != 0 && (m < 0) != (y.doubleValue() < 0)) ? m + y.doubleValue() : m;
          }
          return Math.floorMod(x.longValue(), y.longValue());
        });
    def("inc", 1, 1, a -> Values.arith('+', Values.num(a[0], "inc"), 1L));
    def("dec", 1, 1, a -> Values.arith('-', Values.num(a[0], "dec"), 1L));
    def(
        "max",
        1,
        -1,
        a -> {
          Object m = Values.num(a[0], "max");
          for (Object x : a) {
            if (Values.compareNumbers(Values.num(x, "max"), (Number) m) > 0) {
              m = x;
            }
          }
          return m;
        });
    def(
        "min",
        1,
        -1,
        a -> {
          Object m = Values.num(a[0], "min");
          for (Object x : a) {
            if (Values.compareNumbers(Values.num(x, "min"), (Number) m) < 0) {
              m = x;
            }
          }
          return m;
        });
    def(
        "abs",
        1,
        1,
        a -> {
          Number n = Values.num(a[0], "abs");
          return n instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs(n.longValue());
        });
    def("zero?", 1, 1, a -> Values.compareNumbers(Values.num(a[0], "zero?"), 0L) == 0);
    def("pos?", 1, 1, a -> Values.compareNumbers(Values.num(a[0], "pos?"), 0L) > 0);
    def("neg?", 1, 1, a -> Values.compareNumbers(Values.num(a[0], "neg?"), 0L) < 0);
    def("even?", 1, 1, a -> integer(a[0], "even?") % 2 == 0);
    def("odd?", 1, 1, a -> integer(a[0], "odd?") % 2 != 0);
    def("compare", 2, 2, a -> (long) Integer.signum(QueryOrder.compare(a[0], a[1])));
    def(
        "str",
        0,
        -1,
        a -> {
          StringBuilder sb = new StringBuilder();
          for (Object o : a) {
            sb.append(Values.str(o));
          }
          return sb.toString();
        });
    def(
        "subs",
        2,
        3,
        a -> {
          String s = string(a[0], "subs");
          int from = (int) lng(a[1], "subs");
          return a.length == 3 ? s.substring(from, (int) lng(a[2], "subs")) : s.substring(from);
        });
    def(
        "count",
        1,
        1,
        a ->
            (long)
                switch (a[0]) {
                  case null -> 0;
                  case String s -> s.length();
                  case Collection<?> c -> c.size();
                  case Map<?, ?> m -> m.size();
                  default -> throw new ClassCastException("count not supported on " + a[0]);
                });
    def(
        "name",
        1,
        1,
        a ->
            switch (a[0]) {
              case Keyword k -> k.name();
              case Symbol s -> s.name();
              case String s -> s;
              default -> throw new ClassCastException("name expects a keyword or symbol");
            });
    def(
        "namespace",
        1,
        1,
        a ->
            switch (a[0]) {
              case Keyword k -> k.namespace();
              case Symbol s -> s.namespace();
              default -> throw new ClassCastException("namespace expects a keyword or symbol");
            });
    def(
        "keyword",
        1,
        2,
        a ->
            a.length == 2
                ? Keyword.of(a[0] == null ? null : Values.str(a[0]), Values.str(a[1]))
                : a[0] instanceof Keyword k ? k : Keyword.of(Values.str(a[0])));
    def(
        "symbol",
        1,
        2,
        a ->
            a.length == 2
                ? new Symbol(a[0] == null ? null : Values.str(a[0]), Values.str(a[1]))
                : Symbol.of(Values.str(a[0])));
    def("identity", 1, 1, a -> a[0]);
    def("ground", 1, 1, a -> a[0]);
    def("tuple", 1, -1, a -> java.util.Collections.unmodifiableList(java.util.Arrays.asList(a)));
    def("untuple", 1, 1, a -> a[0]);
    def("vector", 0, -1, a -> java.util.Collections.unmodifiableList(java.util.Arrays.asList(a)));
    def("list", 0, -1, a -> EdnList.of(a));
    def(
        "hash-set",
        0,
        -1,
        a -> java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.Arrays.asList(a))));
    def(
        "hash-map",
        0,
        -1,
        a -> {
          Map<Object, Object> m = new java.util.LinkedHashMap<>();
          for (int i = 0; i + 1 < a.length; i += 2) {
            m.put(a[i], a[i + 1]);
          }
          return java.util.Collections.unmodifiableMap(m);
        });
    def("first", 1, 1, a -> seq(a[0]).isEmpty() ? null : seq(a[0]).get(0));
    def("second", 1, 1, a -> seq(a[0]).size() < 2 ? null : seq(a[0]).get(1));
    def("last", 1, 1, a -> seq(a[0]).isEmpty() ? null : seq(a[0]).get(seq(a[0]).size() - 1));
    def(
        "nth",
        2,
        3,
        a -> {
          List<?> l = seq(a[0]);
          int i = (int) lng(a[1], "nth");
          if (i >= 0 && i < l.size()) {
            return l.get(i);
          }
          if (a.length == 3) {
            return a[2];
          }
          throw new IndexOutOfBoundsException("nth index " + i + " out of bounds");
        });
    def(
        "get",
        2,
        3,
        a -> {
          Object r =
              switch (a[0]) {
                case Map<?, ?> m -> m.get(a[1]);
                case List<?> l ->
                    a[1] instanceof Number n && n.longValue() >= 0 && n.longValue() < l.size()
                        ? l.get(n.intValue())
                        : null;
                case java.util.Set<?> s -> s.contains(a[1]) ? a[1] : null;
                case String str ->
                    a[1] instanceof Number n && n.longValue() >= 0 && n.longValue() < str.length()
                        ? (Object) str.charAt(n.intValue())
                        : null;
                default -> null;
              };
          return r == null && a.length == 3 ? a[2] : r;
        });
    def(
        "contains?",
        2,
        2,
        a ->
            switch (a[0]) {
              case Map<?, ?> m -> m.containsKey(a[1]);
              case java.util.Set<?> s -> s.contains(a[1]);
              case List<?> l ->
                  a[1] instanceof Number n && n.longValue() >= 0 && n.longValue() < l.size();
              default -> false;
            });
    def("empty?", 1, 1, a -> seq(a[0]).isEmpty());
    def("nil?", 1, 1, a -> a[0] == null);
    def("some?", 1, 1, a -> a[0] != null);
    def("true?", 1, 1, a -> Boolean.TRUE.equals(a[0]));
    def("false?", 1, 1, a -> Boolean.FALSE.equals(a[0]));
    def("not", 1, 1, a -> !Values.truthy(a[0]));
    def("boolean", 1, 1, a -> Values.truthy(a[0]));
    def("string?", 1, 1, a -> a[0] instanceof String);
    def("keyword?", 1, 1, a -> a[0] instanceof Keyword);
    def("symbol?", 1, 1, a -> a[0] instanceof Symbol);
    def("number?", 1, 1, a -> a[0] instanceof Number);
    def("int?", 1, 1, a -> a[0] instanceof Long || a[0] instanceof Integer);
    def("integer?", 1, 1, a -> a[0] instanceof Long || a[0] instanceof Integer || a[0] instanceof java.math.BigInteger);
    def("double?", 1, 1, a -> a[0] instanceof Double);
    def("long", 1, 1, a -> Values.num(a[0], "long").longValue());
    def("int", 1, 1, a -> Values.num(a[0], "int").longValue());
    def("double", 1, 1, a -> Values.num(a[0], "double").doubleValue());
    def("float", 1, 1, a -> Values.num(a[0], "float").floatValue());
    def("re-pattern", 1, 1, a -> regex(a[0]));
    def(
        "re-find",
        2,
        2,
        a -> {
          Matcher m = pattern(a[0], "re-find").matcher(string(a[1], "re-find"));
          return m.find() ? groups(m) : null;
        });
    def(
        "re-matches",
        2,
        2,
        a -> {
          Matcher m = pattern(a[0], "re-matches").matcher(string(a[1], "re-matches"));
          return m.matches() ? groups(m) : null;
        });
    def(
        "re-seq",
        2,
        2,
        a -> {
          Matcher m = pattern(a[0], "re-seq").matcher(string(a[1], "re-seq"));
          List<Object> out = new ArrayList<>();
          while (m.find()) {
            out.add(groups(m));
          }
          return out.isEmpty() ? null : java.util.Collections.unmodifiableList(out);
        });
    def(
        "clojure.string/starts-with?",
        2,
        2,
        a -> text(a[0], "starts-with?").startsWith(text(a[1], "starts-with?")));
    def(
        "clojure.string/ends-with?",
        2,
        2,
        a -> text(a[0], "ends-with?").endsWith(text(a[1], "ends-with?")));
    def(
        "clojure.string/includes?",
        2,
        2,
        a -> text(a[0], "includes?").contains(text(a[1], "includes?")));
    def("clojure.string/blank?", 1, 1, a -> a[0] == null || string(a[0], "blank?").isBlank());
    def("clojure.string/lower-case", 1, 1, a -> text(a[0], "lower-case").toLowerCase(java.util.Locale.ROOT));
    def("clojure.string/upper-case", 1, 1, a -> text(a[0], "upper-case").toUpperCase(java.util.Locale.ROOT));
    def("clojure.string/trim", 1, 1, a -> string(a[0], "trim").strip());
    def("clojure.string/triml", 1, 1, a -> string(a[0], "triml").stripLeading());
    def("clojure.string/trimr", 1, 1, a -> string(a[0], "trimr").stripTrailing());
    def("clojure.string/reverse", 1, 1, a -> new StringBuilder(string(a[0], "reverse")).reverse().toString());
    def(
        "clojure.string/capitalize",
        1,
        1,
        a -> {
          String s = text(a[0], "capitalize");
          return s.isEmpty()
              ? s
              : s.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                  + s.substring(1).toLowerCase(java.util.Locale.ROOT);
        });
    def(
        "clojure.string/join",
        1,
        2,
        a -> {
          String sep = a.length == 2 ? Values.str(a[0]) : "";
          List<?> items = seq(a[a.length - 1]);
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
              sb.append(sep);
            }
            sb.append(Values.str(items.get(i)));
          }
          return sb.toString();
        });
    def(
        "clojure.string/split",
        2,
        3,
        a -> a.length == 3
            ? List.of((Object[]) pattern(a[1], "split").split(string(a[0], "split"), (int) lng(a[2], "split")))
            : List.of((Object[]) pattern(a[1], "split").split(string(a[0], "split"))));
    def(
        "clojure.string/replace-first",
        3,
        3,
        a ->
            a[1] instanceof Pattern p
                ? p.matcher(string(a[0], "replace-first")).replaceFirst(Values.str(a[2]))
                : string(a[0], "replace-first").replaceFirst(
                    Pattern.quote(Values.str(a[1])), Matcher.quoteReplacement(Values.str(a[2]))));
    def(
        "clojure.string/replace",
        3,
        3,
        a ->
            a[1] instanceof Pattern p
                ? p.matcher(string(a[0], "replace")).replaceAll(Values.str(a[2]))
                : string(a[0], "replace").replace(Values.str(a[1]), Values.str(a[2])));
    def("tx-ids", 3, 3, Fns::txIds);
    def("tx-data", 2, 2, Fns::txData);
    def("get-else", 4, 4, Fns::getElse);
    def("get-some", 3, -1, Fns::getSome);
    // Datomic answers true for an attribute it does not know (also a reverse :ns/_name)
    def("missing?", 3, 3, a -> (a[0] instanceof Db db && db.attribute(a[2]) == null)
        || firstValue(a[0], a[1], a[2], "missing?") == null);
    FnsClojure.install();
  }

  /** The partition of transaction entities: tx id = {@code TX_PART + t}. */
  private static final long TX_PART = 3L << 42;

  /** A t from a t or a transaction entity id (Datomic's log functions take either); null stays. */
  private static Long tOf(Object v, String fn) {
    if (v == null) return null;
    if (!(v instanceof Long l)) {
      throw new IllegalArgumentException(fn + ": expected a t or a transaction id, got " + Values.str(v));
    }
    return l >= TX_PART ? l - TX_PART : l;
  }

  private static Log log(Object src, String fn) {
    if (src instanceof Log log) return log;
    throw new IllegalArgumentException(fn + " expects a log first (bind conn.log() to a source such as $log)");
  }

  /** {@code (tx-ids $log t1 t2)}: the transaction ids with t1 <= t < t2 (nil: open), oldest first. */
  private static Object txIds(Object[] a) {
    List<Object> out = new ArrayList<>();
    for (LogEntry e : log(a[0], "tx-ids").txRange(tOf(a[1], "tx-ids"), tOf(a[2], "tx-ids"))) out.add(e.tx());
    return out;
  }

  /** {@code (tx-data $log tx)}: the datoms of one transaction as [e a v tx added] tuples. */
  private static Object txData(Object[] a) {
    Long t = tOf(a[1], "tx-data");
    List<Object> out = new ArrayList<>();
    if (t == null) return out;
    for (LogEntry e : log(a[0], "tx-data").txRange(t, t + 1)) {
      for (Datom d : e.data()) out.add(List.of(d.e(), d.a(), d.v(), d.tx(), d.added()));
    }
    return out;
  }

  private static Object getElse(Object[] a) {
    if (a[3] == null) {
      throw new IllegalArgumentException("get-else: nil default is not allowed");
    }
    if (a[0] instanceof Db db) {
      Attribute attr = db.attribute(a[2]);
      if (attr != null && attr.many()) {
        throw new IllegalArgumentException(
            "get-else: attribute " + attr.ident() + " has cardinality many");
      }
    }
    Object v = firstValue(a[0], a[1], a[2], "get-else");
    return v == null ? a[3] : v;
  }

  private static Object getSome(Object[] a) {
    for (int i = 2; i < a.length; i++) {
      if (a[0] instanceof Db db && db.attribute(a[i]) != null && db.attribute(a[i]).many()) {
        throw new IllegalArgumentException(
            "get-some: cardinality-many attributes are not supported: " + Values.str(a[i]));
      }
      Object v = firstValue(a[0], a[1], a[i], "get-some");
      if (v != null) {
        Object attrId = a[0] instanceof Db db ? db.entid(a[i]) : a[i];
        return List.of(attrId, v);
      }
    }
    return null;
  }

  /** The first value of {@code attr} on entity {@code e} in a Db or a collection of tuples. */
  static Object firstValue(Object src, Object e, Object attr, String fn) {
    if (src instanceof Db db) {
      Long eid = e instanceof Long l ? l : db.entid(e);
      Attribute at = db.attribute(attr);
      if (at == null) {
        throw new IllegalArgumentException(fn + ": unknown attribute " + Values.str(attr));
      }
      if (eid == null) {
        return null;
      }
      for (Datom d : db.datoms(IndexType.EAVT, eid, at.id())) {
        if (d.added()) {
          return d.v();
        }
      }
      return null;
    }
    if (src instanceof Collection<?> c) {
      for (Object t : c) {
        if (t instanceof List<?> l
            && l.size() >= 3
            && Values.eq(Values.normalize(l.get(0)), e)
            && Objects.equals(l.get(1), attr)) {
          return Values.normalize(l.get(2));
        }
      }
      return null;
    }
    throw new IllegalArgumentException(fn + " expects a data source first");
  }
}
