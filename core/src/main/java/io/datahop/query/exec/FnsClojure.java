package io.datahop.query.exec;

import io.datahop.edn.EdnList;
import io.datahop.edn.Keyword;
import io.datahop.edn.Symbol;
import io.datahop.query.Datalog;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clojure.core and clojure.string functions beyond Datomic's documented built-ins that a
 * Datomic query can call because it resolves any clojure.core name: type predicates,
 * promoting and unchecked arithmetic, collection helpers, {@code format}, and {@code q} for
 * subqueries. Each was checked against Datomic by bench's DatomicDifferentialTest.
 */
final class FnsClojure {
  private FnsClojure() {}

  private static void pred(String name, java.util.function.Predicate<Object> p) {
    Fns.def(name, 1, 1, a -> p.test(a[0]));
  }

  static void install() {
    pred("boolean?", o -> o instanceof Boolean);
    pred("map?", o -> o instanceof Map);
    pred("set?", o -> o instanceof Set);
    pred("vector?", o -> o instanceof List && !(o instanceof EdnList));
    pred("list?", o -> o instanceof EdnList);
    pred("seq?", o -> o instanceof EdnList);
    pred("sequential?", o -> o instanceof List);
    pred("coll?", o -> o instanceof Collection || o instanceof Map);
    pred("uuid?", o -> o instanceof java.util.UUID);
    pred("inst?", o -> o instanceof java.time.Instant || o instanceof java.util.Date);
    pred("ident?", o -> o instanceof Keyword || o instanceof Symbol);
    pred("simple-keyword?", o -> o instanceof Keyword k && k.namespace() == null);
    pred("qualified-keyword?", o -> o instanceof Keyword k && k.namespace() != null);
    pred("simple-symbol?", o -> o instanceof Symbol s && s.namespace() == null);
    pred("qualified-symbol?", o -> o instanceof Symbol s && s.namespace() != null);
    pred("float?", o -> o instanceof Double || o instanceof Float);
    pred("decimal?", o -> o instanceof BigDecimal);
    pred("ratio?", o -> false);
    pred("rational?", o -> o instanceof Long || o instanceof BigInteger || o instanceof BigDecimal);
    pred("nat-int?", o -> o instanceof Long l && l >= 0);
    pred("pos-int?", o -> o instanceof Long l && l > 0);
    pred("neg-int?", o -> o instanceof Long l && l < 0);
    pred("char?", o -> o instanceof Character);
    Fns.def("distinct?", 1, -1, a -> {
      Set<Object> seen = new java.util.HashSet<>();
      for (Object o : a) {
        for (Object x : seen) {
          if (Values.eq(x, o)) {
            return false;
          }
        }
        seen.add(o);
      }
      return true;
    });
    Fns.def("identical?", 2, 2, a -> a[0] == a[1] || (a[0] != null && a[0].equals(a[1])
        && (a[0] instanceof Keyword || a[0] instanceof Boolean)));

    // promoting arithmetic: a long that overflows becomes a BigInteger
    Fns.def("+'", 0, -1, a -> promoting('+', a, 0L));
    Fns.def("*'", 0, -1, a -> promoting('*', a, 1L));
    Fns.def("-'", 1, -1, a -> a.length == 1 ? promote('-', 0L, Values.num(a[0], "-'")) : promoting('-', a, 0L));
    Fns.def("inc'", 1, 1, a -> promote('+', Values.num(a[0], "inc'"), 1L));
    Fns.def("dec'", 1, 1, a -> promote('-', Values.num(a[0], "dec'"), 1L));
    // unchecked arithmetic wraps around on longs
    Fns.def("unchecked-add", 2, 2, a -> lng(a[0]) + lng(a[1]));
    Fns.def("unchecked-subtract", 2, 2, a -> lng(a[0]) - lng(a[1]));
    Fns.def("unchecked-multiply", 2, 2, a -> lng(a[0]) * lng(a[1]));
    Fns.def("unchecked-inc", 1, 1, a -> lng(a[0]) + 1);
    Fns.def("unchecked-dec", 1, 1, a -> lng(a[0]) - 1);
    Fns.def("unchecked-negate", 1, 1, a -> -lng(a[0]));
    Fns.def("bigint", 1, 1, a -> bigint(BigBounds.check(Values.num(a[0], "bigint"), "bigint")));
    Fns.def("biginteger", 1, 1, a -> bigint(BigBounds.check(Values.num(a[0], "biginteger"), "biginteger")));
    Fns.def("bigdec", 1, 1, a -> BigBounds.check(Values.bigDec(Values.num(a[0], "bigdec")), "bigdec"));
    Fns.def("num", 1, 1, a -> Values.num(a[0], "num"));
    Fns.def("rand-int", 1, 1, a -> (long) java.util.concurrent.ThreadLocalRandom.current()
        .nextInt((int) lng(a[0])));
    Fns.def("rand", 0, 1, a -> java.util.concurrent.ThreadLocalRandom.current().nextDouble()
        * (a.length == 0 ? 1.0 : Values.num(a[0], "rand").doubleValue()));

    // and/or are macros in Clojure; Datomic calls them as functions on evaluated arguments
    Fns.def("and", 0, -1, a -> {
      Object last = true;
      for (Object o : a) {
        if (!Values.truthy(o)) {
          return o;
        }
        last = o;
      }
      return last;
    });
    Fns.def("or", 0, -1, a -> {
      Object last = null;
      for (Object o : a) {
        if (Values.truthy(o)) {
          return o;
        }
        last = o;
      }
      return last;
    });

    Fns.def("format", 1, -1, a -> String.format(
        Values.str(a[0]), Arrays.stream(a, 1, a.length).map(FnsClojure::formatArg).toArray()));
    Fns.def("range", 1, 3, FnsClojure::range);
    Fns.def("seq", 1, 1, a -> {
      List<?> l = seqOf(a[0]);
      return l.isEmpty() ? null : EdnList.of(l.toArray());
    });
    Fns.def("vals", 1, 1, a -> a[0] == null || ((Map<?, ?>) a[0]).isEmpty()
        ? null : List.copyOf(((Map<?, ?>) a[0]).values()));
    Fns.def("keys", 1, 1, a -> a[0] == null || ((Map<?, ?>) a[0]).isEmpty()
        ? null : List.copyOf(((Map<?, ?>) a[0]).keySet()));
    Fns.def("reverse", 1, 1, a -> {
      List<Object> l = new ArrayList<>(seqOf(a[0]));
      Collections.reverse(l);
      return EdnList.of(l.toArray());
    });
    Fns.def("sort", 1, 1, a -> {
      List<Object> l = new ArrayList<>(seqOf(a[0]));
      l.sort(QueryOrder.ORDER);
      return EdnList.of(l.toArray());
    });
    Fns.def("concat", 0, -1, a -> {
      List<Object> l = new ArrayList<>();
      for (Object o : a) {
        l.addAll(seqOf(o));
      }
      return EdnList.of(l.toArray());
    });
    Fns.def("conj", 1, -1, a -> into(a[0], Arrays.asList(a).subList(1, a.length)));
    Fns.def("into", 2, 2, a -> into(a[0], seqOf(a[1])));

    Fns.def("clojure.string/index-of", 2, 3, a -> {
      String s = (String) a[0];
      int i = a.length == 3
          ? s.indexOf(Values.str(a[1]), (int) lng(a[2]))
          : s.indexOf(Values.str(a[1]));
      return i < 0 ? null : (Object) (long) i;
    });
    Fns.def("clojure.string/last-index-of", 2, 3, a -> {
      String s = (String) a[0];
      int i = a.length == 3
          ? s.lastIndexOf(Values.str(a[1]), (int) lng(a[2]))
          : s.lastIndexOf(Values.str(a[1]));
      return i < 0 ? null : (Object) (long) i;
    });
    Fns.def("clojure.string/split-lines", 1, 1,
        a -> List.of((Object[]) ((String) a[0]).split("\r?\n")));
    Fns.def("clojure.string/trim-newline", 1, 1,
        a -> ((String) a[0]).replaceAll("[\r\n]+$", ""));

    // a subquery: (q (quote [:find ...]) $ ?x) runs the quoted query on the given inputs
    Fns.def("q", 1, -1, a -> Datalog.q(a[0], Arrays.copyOfRange(a, 1, a.length)));
  }

  private static long lng(Object o) {
    Number n = Values.num(o, "unchecked arithmetic");
    return n.longValue();
  }

  private static BigInteger bigint(Number n) {
    return switch (n) {
      case BigInteger b -> b;
      case BigDecimal d -> d.toBigInteger();
      case Double d -> BigDecimal.valueOf(d).toBigInteger();
      default -> BigInteger.valueOf(n.longValue());
    };
  }

  private static Number promoting(char op, Object[] a, long unit) {
    Number acc = a.length == 0 ? unit : Values.num(a[0], op + "'");
    for (int i = 1; i < a.length; i++) {
      acc = promote(op, acc, Values.num(a[i], op + "'"));
    }
    return acc;
  }

  private static Number promote(char op, Number x, Number y) {
    try {
      return Values.arith(op, x, y);
    } catch (ArithmeticException overflow) {
      Number r = Values.arith(op, bigint(x), bigint(y));
      return r;
    }
  }

  private static Object formatArg(Object o) {
    return o instanceof Keyword || o instanceof Symbol || o instanceof Collection<?>
        ? Values.str(o) : o;
  }

  private static Object range(Object[] a) {
    long start = a.length == 1 ? 0 : lng(a[0]);
    long end = a.length == 1 ? lng(a[0]) : lng(a[1]);
    long step = a.length == 3 ? lng(a[2]) : 1;
    if (step == 0) {
      throw new IllegalArgumentException("range: a zero step never ends");
    }
    List<Object> out = new ArrayList<>();
    for (long i = start; step > 0 ? i < end : i > end; i += step) {
      out.add(i);
      if (out.size() > 10_000_000) {
        throw new IllegalArgumentException("range: more than 10 million values");
      }
    }
    return EdnList.of(out.toArray());
  }

  private static List<?> seqOf(Object o) {
    return switch (o) {
      case null -> List.of();
      case List<?> l -> l;
      case Collection<?> c -> new ArrayList<>(c);
      case String s -> s.chars().mapToObj(c -> (Object) (char) c).toList();
      case Map<?, ?> m -> m.entrySet().stream().map(e -> (Object) List.of(e.getKey(), e.getValue())).toList();
      default -> throw new ClassCastException("not a sequence: " + Values.str(o));
    };
  }

  private static Object into(Object to, List<?> items) {
    switch (to) {
      case null -> {
        List<Object> l = new ArrayList<>();
        for (Object o : items) {
          l.add(0, o);
        }
        return EdnList.of(l.toArray());
      }
      case Set<?> s -> {
        Set<Object> out = new LinkedHashSet<>(s);
        out.addAll(items);
        return Collections.unmodifiableSet(out);
      }
      case Map<?, ?> m -> {
        Map<Object, Object> out = new LinkedHashMap<>(m);
        for (Object o : items) {
          List<?> kv = (List<?>) o;
          out.put(kv.get(0), kv.get(1));
        }
        return Collections.unmodifiableMap(out);
      }
      case EdnList l -> {
        List<Object> out = new ArrayList<>(items);
        Collections.reverse(out);
        out.addAll(l);
        return EdnList.of(out.toArray());
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l);
        out.addAll(items);
        return Collections.unmodifiableList(out);
      }
      default -> throw new ClassCastException("cannot add to " + Values.str(to));
    }
  }
}
